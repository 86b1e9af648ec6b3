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
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
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
import { ApprovalRulesService } from './approval-rules.service.js';
import {
  ApprovalDecisionDto,
  ApprovalDto,
  ApprovalListQuery,
  ApprovalRuleDto,
  CreateApprovalRuleDto,
  UpdateApprovalRuleDto,
} from './approvals.dto.js';
import { ApprovalsService } from './approvals.service.js';

@ApiTags('governance')
@ApiBearerAuth()
@Controller('api/v1')
export class ApprovalsController {
  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(ApprovalRulesService) private readonly rules: ApprovalRulesService,
  ) {}

  @Post('approval-rules')
  @ApiOperation({ summary: 'Create an approval rule: matching orders wait for an operator (audited)' })
  @RequireRole('operator')
  @ApiCreatedResponse({ type: ApprovalRuleDto })
  async createRule(
    @Caller() caller: Principal,
    @Body() dto: CreateApprovalRuleDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ApprovalRuleDto> {
    const rule = await this.rules.create(caller, dto);
    res.location(`/api/v1/approval-rules/${rule.id}`);
    return rule;
  }

  @Get('approval-rules')
  @ApiOperation({ summary: 'List approval rules (oldest first)' })
  @ApiPageResponse(ApprovalRuleDto)
  listRules(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.rules.list(caller, query);
  }

  @Patch('approval-rules/:id')
  @ApiOperation({ summary: 'Change an approval rule (for orders from now on; audited)' })
  @RequireRole('operator')
  @ApiOkResponse({ type: ApprovalRuleDto })
  updateRule(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateApprovalRuleDto,
  ): Promise<ApprovalRuleDto> {
    return this.rules.update(caller, id, dto);
  }

  @Delete('approval-rules/:id')
  @ApiOperation({ summary: 'Delete an approval rule (pending approvals stay; audited)' })
  @RequireRole('operator')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  async deleteRule(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.rules.delete(caller, id);
  }

  @Get('approvals')
  @ApiOperation({ summary: 'The approvals inbox (newest first); members see those of their own orders' })
  @ApiPageResponse(ApprovalDto)
  list(@Caller() caller: Principal, @Query() query: ApprovalListQuery) {
    return this.approvals.list(caller, query);
  }

  @Get('approvals/:id')
  @ApiOperation({ summary: 'One approval: why the order waits, who ordered, cost, expiry, decision' })
  @ApiOkResponse({ type: ApprovalDto })
  get(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<ApprovalDto> {
    return this.approvals.get(caller, id);
  }

  @Post('approvals/:id/approve')
  @ApiOperation({ summary: 'Approve: the deployment goes ahead (operators and admins, never the orderer)' })
  @RequireRole('operator')
  @HttpCode(200)
  @ApiOkResponse({ type: ApprovalDto })
  @ApiForbiddenResponse({ description: 'The caller ordered it, or is a member' })
  @ApiConflictResponse({ description: 'Already decided or expired' })
  approve(@Caller() caller: Principal, @Param('id', UuidPipe) id: string, @Body() dto: ApprovalDecisionDto) {
    return this.approvals.decide(caller, id, dto.reason, 'approve');
  }

  @Post('approvals/:id/reject')
  @ApiOperation({
    summary: 'Reject with a reason: the deployment ends (operators and admins, never the orderer)',
  })
  @RequireRole('operator')
  @HttpCode(200)
  @ApiOkResponse({ type: ApprovalDto })
  @ApiForbiddenResponse({ description: 'The caller ordered it, or is a member' })
  @ApiConflictResponse({ description: 'Already decided or expired' })
  reject(@Caller() caller: Principal, @Param('id', UuidPipe) id: string, @Body() dto: ApprovalDecisionDto) {
    return this.approvals.decide(caller, id, dto.reason, 'reject');
  }
}
