import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { streamDeploymentEvents } from './deployment-event-stream.util.js';
import {
  DeploymentDetailDto,
  DeploymentEventListDto,
  DeploymentNetworkDto,
  DeploymentPageDto,
  DeploymentSummaryDto,
} from './deployment-responses.dto.js';
import { CreateOrderDto, DeploymentActionDto, DeploymentListQuery, EventsQuery } from './deployments.dto.js';
import { DeploymentsService } from './deployments.service.js';
import { OrdersService } from './orders.service.js';

@ApiTags('deployments')
@ApiExtraModels(DeploymentNetworkDto, DeploymentEventListDto)
@ApiBearerAuth()
@Controller('api/v1')
export class DeploymentsController {
  constructor(
    @Inject(OrdersService) private readonly orders: OrdersService,
    @Inject(DeploymentsService) private readonly deployments: DeploymentsService,
  ) {}

  @Post('orders')
  @ApiOperation({ summary: 'Order a blueprint: a new deployment' })
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key + same body: the same deployment',
  })
  @ApiAcceptedResponse({
    type: DeploymentSummaryDto,
    description: 'The deployment, queued; its URL in Location (200 for a repeated key)',
  })
  @ApiOkResponse({
    type: DeploymentSummaryDto,
    description: "A repeated Idempotency-Key with the same body: the first order's deployment",
  })
  async order(
    @Caller() caller: Principal,
    @Body() dto: CreateOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeploymentSummaryDto> {
    if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw AppException.invalid([
        { path: 'Idempotency-Key', message: 'must be 1-200 visible ASCII characters' },
      ]);
    }
    const result = await this.orders.order(caller, dto, key);
    if (!result.created) res.status(200);
    res.location(`/api/v1/deployments/${result.deployment.id}`);
    return result.deployment;
  }

  @Get('deployments')
  @ApiOperation({ summary: 'List deployments (newest first)' })
  @ApiOkResponse({ type: DeploymentPageDto })
  list(@Caller() caller: Principal, @Query() query: DeploymentListQuery): Promise<DeploymentPageDto> {
    return this.deployments.list(caller, query);
  }

  @Get('deployments/:id')
  @ApiOperation({ summary: 'One deployment: tiers, instances, addresses, outputs, cost' })
  @ApiOkResponse({
    type: DeploymentDetailDto,
    description:
      'State, tiers, instances (cloud, resource id, address, state), outputs, cost so far; `mayAct`: ' +
      'whether the caller may act on it (members: only on what they ordered)',
  })
  get(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<DeploymentDetailDto> {
    return this.deployments.get(caller, id);
  }

  @Post('deployments/:id/actions')
  @ApiOperation({ summary: 'Stop, start, restart, scale or terminate a deployment' })
  @HttpCode(202)
  @RequireRole('member')
  @ApiAcceptedResponse({
    type: DeploymentSummaryDto,
    description: 'Accepted, in its new state; 409 with the allowed actions when the state does not allow it',
  })
  @ApiForbiddenResponse({
    description:
      'A member acting on a deployment it did not order (operators act on all of their tenant, admins on all)',
  })
  act(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() dto: DeploymentActionDto,
  ): Promise<DeploymentSummaryDto> {
    return this.deployments.act(caller, id, dto);
  }

  @Get('deployments/:id/events')
  @ApiOperation({ summary: "A deployment's events (JSON, or a live SSE stream)" })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({
    description: 'The events; with Accept: text/event-stream a live stream resuming from Last-Event-ID',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(DeploymentEventListDto) } },
      'text/event-stream': {
        schema: {
          type: 'string',
          description: 'Each event as `id:`, `event:` (its type) and `data:` (the JSON of one item)',
        },
      },
    },
  })
  async events(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: EventsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const lastEventId = req.header('last-event-id');
    const after = /^\d{1,18}$/.test(lastEventId ?? '') ? lastEventId : query.after;
    if (!(req.header('accept') ?? '').includes('text/event-stream')) {
      const list: DeploymentEventListDto = {
        items: await this.deployments.events(caller, id, after),
        nextCursor: null,
      };
      res.json(list);
      return;
    }
    // an unknown deployment is a 404 before the stream opens
    await this.deployments.find(caller, id);
    await streamDeploymentEvents(req, res, after, (cursor) =>
      this.deployments.events(caller, id, cursor, 200),
    );
  }
}
