import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { SpendDto, SpendQuery } from './spend.dto.js';
import { SpendService } from './spend.service.js';

@ApiTags('deployments')
@ApiBearerAuth()
@Controller('api/v1/spend')
export class SpendController {
  constructor(@Inject(SpendService) private readonly spend: SpendService) {}

  @Get()
  @ApiOperation({
    summary: 'What the deployments cost: run rate now, this month, and in total',
    description:
      'Over the deployments the caller can list (its tenant’s; an admin’s: every tenant’s), from ' +
      'their instances at their tier’s price as ordered: billed from creation to termination, disk ' +
      'alone while the deployment is stopped. Per currency, and per environment.',
  })
  @ApiOkResponse({ type: SpendDto })
  get(@Caller() caller: Principal, @Query() query: SpendQuery): Promise<SpendDto> {
    return this.spend.spend(caller, query);
  }
}
