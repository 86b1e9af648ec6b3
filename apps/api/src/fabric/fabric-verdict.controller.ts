import { Controller, Get, Inject, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FabricService, type Verdict } from '@switchyard/network-fabric';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { assertVisible } from './fabric-access.util.js';
import { FabricExceptionFilter } from './fabric-exception.filter.js';
import { DecidingRuleDto, VerdictDto, VerdictQueryDto } from './fabric-verdict.dto.js';

@ApiTags('fabric')
@ApiBearerAuth()
@ApiExtraModels(DecidingRuleDto)
@UseFilters(FabricExceptionFilter)
@Controller('api/v1/fabric')
export class FabricVerdictController {
  constructor(@Inject(FabricService) private readonly fabric: FabricService) {}

  @Get('verdict')
  @ApiOperation({
    summary: 'May A reach B on protocol/port, and which rule decides',
    description:
      'The reference semantics every enforcement backend must match: the highest priority matching rule ' +
      'wins, deny wins a tie, and with no matching rule traffic is allowed ("default allow").',
  })
  @ApiOkResponse({ type: VerdictDto })
  verdict(@Caller() caller: Principal, @Query() query: VerdictQueryDto): Promise<Verdict> {
    const tenant = query.tenant ?? caller.tenantName;
    assertVisible(caller, tenant, `tenant "${tenant}"`);
    const { from, to, protocol, port } = query;
    return this.fabric.verdict(tenant, {
      from,
      to,
      ...(protocol === undefined ? {} : { protocol }),
      ...(port === undefined ? {} : { port }),
    });
  }
}
