import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, RequireRole } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { UuidPipe } from '../../common/uuid.pipe.js';
import { TenantQuery } from '../governance.dto.js';
import { ExtendLeaseDto, LeaseDto, LeasePolicyDto, PutLeasePolicyDto } from './leases.dto.js';
import { LeasesService } from './leases.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1')
export class LeasesController {
  constructor(@Inject(LeasesService) private readonly leases: LeasesService) {}

  @Get('lease-policy')
  @ApiOperation({ summary: "A tenant's lease policy: the longest lease, and when to warn" })
  @ApiOkResponse({ type: LeasePolicyDto })
  policy(@Caller() caller: Principal, @Query() query: TenantQuery): Promise<LeasePolicyDto> {
    return this.leases.policy(caller, query.tenant);
  }

  @Put('lease-policy')
  @RequireRole('admin')
  @ApiOperation({ summary: "Set a tenant's lease policy (admins; audited)" })
  @ApiOkResponse({ type: LeasePolicyDto })
  putPolicy(@Caller() caller: Principal, @Body() dto: PutLeasePolicyDto): Promise<LeasePolicyDto> {
    return this.leases.putPolicy(caller, dto);
  }

  @Post('deployments/:id/lease')
  @HttpCode(200)
  @RequireRole('member')
  @ApiOperation({
    summary: "Extend a deployment's lease",
    description:
      "By the one who ordered it, or an operator of its tenant (admins: any); 409 beyond the tenant's maximum lease.",
  })
  @ApiOkResponse({ type: LeaseDto })
  extend(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() dto: ExtendLeaseDto,
  ): Promise<LeaseDto> {
    return this.leases.extend(caller, id, dto.hours);
  }
}
