import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { PageQuery } from '../../common/pagination.js';
import { UuidPipe } from '../../common/uuid.pipe.js';
import { ApiPageResponse } from '../../openapi/page-response.decorator.js';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookSettingsDto,
} from './webhooks.dto.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post('webhooks')
  @ApiOperation({ summary: 'Subscribe a URL to event types (signing secret shown once; audited)' })
  @RequireRole('operator')
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateWebhookDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CreatedWebhookDto> {
    const created = await this.webhooks.create(caller, dto);
    res.location(`/api/v1/webhooks/${created.id}`);
    res.setHeader('Cache-Control', 'no-store');
    return created;
  }

  @Get('webhooks')
  @ApiOperation({ summary: 'List webhook subscriptions' })
  @RequireRole('operator')
  @ApiPageResponse(WebhookDto)
  list(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.webhooks.list(caller, query);
  }

  @Delete('webhooks/:id')
  @ApiOperation({ summary: 'Delete a subscription and its delivery log (audited)' })
  @RequireRole('operator')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.webhooks.delete(caller, id);
  }

  @Get('webhooks/:id/deliveries')
  @ApiOperation({ summary: 'The delivery log: status, attempts, response codes, next try (newest first)' })
  @RequireRole('operator')
  @ApiPageResponse(WebhookDeliveryDto)
  deliveries(@Caller() caller: Principal, @Param('id', UuidPipe) id: string, @Query() query: PageQuery) {
    return this.webhooks.deliveries(caller, id, query);
  }

  @Get('webhook-settings')
  @ApiOperation({ summary: 'Internal targets webhooks may call (admin)' })
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookSettingsDto })
  settings(): Promise<WebhookSettingsDto> {
    return this.webhooks.settings();
  }

  @Put('webhook-settings')
  @ApiOperation({ summary: 'Set the internal targets webhooks may call (admin; audited)' })
  @RequireRole('admin')
  @ApiOkResponse({ type: WebhookSettingsDto })
  setSettings(@Caller() caller: Principal, @Body() dto: WebhookSettingsDto): Promise<WebhookSettingsDto> {
    return this.webhooks.setSettings(caller, dto);
  }
}
