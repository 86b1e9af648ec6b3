import { Body, Controller, Get, Inject, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, RequireRole } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { TenantQuery } from '../governance.dto.js';
import { BudgetDto, PutBudgetDto, SpendReportDto, SpendReportQuery } from './budgets.dto.js';
import { BudgetsService } from './budgets.service.js';
import { SpendReportService } from './spend-report.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1')
export class BudgetsController {
  constructor(
    @Inject(BudgetsService) private readonly budgets: BudgetsService,
    @Inject(SpendReportService) private readonly spend: SpendReportService,
  ) {}

  @Get('budget')
  @ApiOperation({ summary: "A tenant's monthly budget, where the month stands, and this month's alerts" })
  @ApiOkResponse({ type: BudgetDto })
  get(@Caller() caller: Principal, @Query() query: TenantQuery): Promise<BudgetDto> {
    return this.budgets.get(caller, query.tenant);
  }

  @Put('budget')
  @RequireRole('operator')
  @ApiOperation({
    summary:
      "Set a tenant's monthly budget and alert thresholds (operators: their tenant; admins: any; audited)",
  })
  @ApiOkResponse({ type: BudgetDto })
  put(@Caller() caller: Principal, @Body() dto: PutBudgetDto): Promise<BudgetDto> {
    return this.budgets.put(caller, dto);
  }

  @Get('spend/report')
  @ApiOperation({
    summary: "What a tenant's deployments spent within a period, per environment or blueprint",
    description:
      'Admins may name another tenant. Each instance from its creation to its end at its tier’s price.',
  })
  @ApiOkResponse({ type: SpendReportDto })
  report(@Caller() caller: Principal, @Query() query: SpendReportQuery): Promise<SpendReportDto> {
    return this.spend.report(caller, query);
  }
}
