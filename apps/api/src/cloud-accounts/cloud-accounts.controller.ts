import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { ApiPageResponse } from '../openapi/page-response.decorator.js';
import { CloudAccountChecksService } from './cloud-account-checks.service.js';
import {
  CloudAccountDto,
  CloudAccountQuery,
  CloudAccountSyncDto,
  CloudAccountTestDto,
  CloudOrphanDto,
  CloudOrphanQuery,
  CreateCloudAccountDto,
  UpdateCloudAccountDto,
} from './cloud-accounts.dto.js';
import { CloudAccountsService } from './cloud-accounts.service.js';

const location = (id: string) => `/api/v1/cloud-accounts/${id}`;

/** Cloud accounts: operators manage their tenant's, admins any; members do not see them. */
@ApiTags('clouds')
@ApiBearerAuth()
@RequireRole('operator')
@Controller('api/v1/cloud-accounts')
export class CloudAccountsController {
  constructor(
    @Inject(CloudAccountsService) private readonly accounts: CloudAccountsService,
    @Inject(CloudAccountChecksService) private readonly checks: CloudAccountChecksService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a cloud account' })
  @ApiCreatedResponse({ type: CloudAccountDto, description: 'Credentials come back masked' })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateCloudAccountDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const account = await this.accounts.create(caller, dto);
    res.location(location(account.id));
    return account;
  }

  @Get()
  @ApiOperation({ summary: 'List cloud accounts' })
  @ApiPageResponse(CloudAccountDto)
  list(@Caller() caller: Principal, @Query() query: CloudAccountQuery) {
    return this.accounts.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One cloud account' })
  @ApiOkResponse({ type: CloudAccountDto })
  get(@Caller() caller: Principal, @Param('id', UuidPipe) id: string) {
    return this.accounts.get(caller, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a cloud account' })
  @ApiOkResponse({ type: CloudAccountDto })
  update(@Caller() caller: Principal, @Param('id', UuidPipe) id: string, @Body() dto: UpdateCloudAccountDto) {
    return this.accounts.update(caller, id, dto);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a cloud account' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiConflictResponse({ description: 'Environments use it (named in the answer)' })
  async remove(@Caller() caller: Principal, @Param('id', UuidPipe) id: string) {
    await this.accounts.remove(caller, id);
  }

  @Get(':id/orphans')
  @ApiOperation({ summary: 'Instances the cloud holds that no deployment owns' })
  @ApiPageResponse(
    CloudOrphanDto,
    "Instances tagged as Switchyard's that no deployment owns, as the reconciler last saw them",
  )
  orphans(@Caller() caller: Principal, @Param('id', UuidPipe) id: string, @Query() query: CloudOrphanQuery) {
    return this.accounts.orphans(caller, id, query);
  }

  @Post(':id/test')
  @ApiOperation({ summary: "Test the account's credentials against its cloud" })
  @HttpCode(200)
  @ApiOkResponse({ type: CloudAccountTestDto, description: "The cloud's verdict, also kept as lastTest" })
  test(@Caller() caller: Principal, @Param('id', UuidPipe) id: string) {
    return this.checks.test(caller, id);
  }

  @Post(':id/sync')
  @ApiOperation({ summary: 'Refresh regions, instance types and images from the cloud' })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CloudAccountSyncDto, description: 'Queued; the account shows syncedAt' })
  async sync(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const queued = await this.checks.sync(caller, id);
    res.location(location(id));
    return queued;
  }
}
