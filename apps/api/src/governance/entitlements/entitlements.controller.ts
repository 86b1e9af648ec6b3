import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, RequireRole } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { EntitlementsDto, SetEntitlementsDto } from './entitlements.dto.js';
import { EntitlementsService } from './entitlements.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1/entitlements')
export class EntitlementsController {
  constructor(@Inject(EntitlementsService) private readonly entitlements: EntitlementsService) {}

  @Get(':tenant')
  @ApiOperation({ summary: "A tenant's entitlements: the blueprints and environments it may use" })
  @ApiOkResponse({ type: EntitlementsDto })
  get(@Caller() caller: Principal, @Param('tenant') tenant: string): Promise<EntitlementsDto> {
    return this.entitlements.get(caller, tenant);
  }

  @Put(':tenant')
  @ApiOperation({ summary: "Set a tenant's entitlements (admin; audited)" })
  @RequireRole('admin')
  @ApiOkResponse({ type: EntitlementsDto })
  @ApiForbiddenResponse({ description: 'Not an admin' })
  set(
    @Caller() caller: Principal,
    @Param('tenant') tenant: string,
    @Body() dto: SetEntitlementsDto,
  ): Promise<EntitlementsDto> {
    return this.entitlements.set(caller, tenant, dto);
  }
}
