import { Body, Controller, Get, Inject, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, RequireRole } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { TenantQuery } from '../governance.dto.js';
import { PutQuotaDto, QuotaListDto, QuotaUsageDto } from './quotas.dto.js';
import { QuotasService } from './quotas.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/quotas')
export class QuotasController {
  constructor(@Inject(QuotasService) private readonly quotas: QuotasService) {}

  @Get()
  @ApiOperation({
    summary: "A tenant's quotas and what is reserved against each",
    description:
      'Orders and scales reserve what they will take when accepted (409 `quota.exceeded` when that would ' +
      'break a limit); a deployment at rest holds what its instances take.',
  })
  @ApiOkResponse({ type: QuotaListDto })
  list(@Caller() caller: Principal, @Query() query: TenantQuery): Promise<QuotaListDto> {
    return this.quotas.list(caller, query.tenant);
  }

  @Put()
  @RequireRole('admin')
  @ApiOperation({
    summary: "Set the tenant's whole quota or its quota on one environment (admins)",
    description: 'Limits left out or null are not limited; with none given, the quota is removed. Audited.',
  })
  @ApiOkResponse({ type: QuotaListDto, description: "The tenant's quotas after the change" })
  put(@Caller() caller: Principal, @Body() dto: PutQuotaDto): Promise<QuotaListDto> {
    return this.quotas.put(caller, dto);
  }

  @Get('usage')
  @ApiOperation({
    summary: "What a tenant's deployments reserve and what they really hold, per environment",
    description: '`mismatched` counts deployments at rest whose reservation differs from what they hold.',
  })
  @ApiOkResponse({ type: QuotaUsageDto })
  usage(@Caller() caller: Principal, @Query() query: TenantQuery): Promise<QuotaUsageDto> {
    return this.quotas.usage(caller, query.tenant);
  }
}
