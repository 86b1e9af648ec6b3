import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, RequireRole } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { UuidPipe } from '../../common/uuid.pipe.js';
import { TenantQuery } from '../governance.dto.js';
import { PlacementExplanationDto, PlacementPolicyDto, PutPlacementPolicyDto } from './placement.dto.js';
import { PlacementPoliciesService } from './placement-policies.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1')
export class PlacementController {
  constructor(@Inject(PlacementPoliciesService) private readonly policies: PlacementPoliciesService) {}

  @Get('placement-policies')
  @ApiOperation({ summary: "A tenant's placement policy: its rules and how Switchyard chooses" })
  @ApiOkResponse({ type: PlacementPolicyDto })
  get(@Caller() caller: Principal, @Query() query: TenantQuery): Promise<PlacementPolicyDto> {
    return this.policies.get(caller, query.tenant);
  }

  @Put('placement-policies')
  @RequireRole('operator')
  @ApiOperation({
    summary: "Set a tenant's placement policy (operators: their tenant; admins: any; audited)",
    description:
      'Rules hold for every order; an order that leaves placement out gets the cheapest allowed environment per tier.',
  })
  @ApiOkResponse({ type: PlacementPolicyDto })
  put(@Caller() caller: Principal, @Body() dto: PutPlacementPolicyDto): Promise<PlacementPolicyDto> {
    return this.policies.put(caller, dto);
  }

  @Get('deployments/:id/placement')
  @ApiOperation({
    summary: 'How a deployment’s environments were chosen: every environment considered per tier, and why',
    description: '404 when its order named the placement itself.',
  })
  @ApiOkResponse({ type: PlacementExplanationDto })
  explanation(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
  ): Promise<PlacementExplanationDto> {
    return this.policies.explanation(caller, id);
  }
}
