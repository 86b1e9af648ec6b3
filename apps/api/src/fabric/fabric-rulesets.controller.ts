import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { FabricService } from '@switchyard/network-fabric';
import type { Request, Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { assertVisible } from './fabric-access.util.js';
import { FabricExceptionFilter } from './fabric-exception.filter.js';
import { RULESET_EXAMPLE } from './ruleset-example.js';
import { sendRuleset } from './ruleset-response.util.js';

@ApiTags('fabric')
@ApiBearerAuth()
@UseFilters(FabricExceptionFilter)
@Controller('api/v1/fabric/rulesets')
export class FabricRulesetsController {
  constructor(@Inject(FabricService) private readonly fabric: FabricService) {}

  @Get(':tenant')
  @RequireRole('operator')
  @ApiOperation({
    summary: "The tenant's compiled nftables ruleset",
    description:
      'The whole tenant policy as one `table inet switchyard_<tenant>` for `nft -f` (it replaces the table ' +
      'atomically), what Linux hosts and CNI-attached containers load. Operators of the tenant and admins. ' +
      'The ETag is the SHA-256 of the text; send it back in `If-None-Match` to get 304 while nothing changed.',
  })
  @ApiProduces('text/plain')
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the text held' })
  @ApiOkResponse({
    description: 'The ruleset, with its ETag',
    content: { 'text/plain': { schema: { type: 'string', example: RULESET_EXAMPLE } } },
  })
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag in If-None-Match' })
  @ApiNotFoundResponse({ description: "No such tenant, or another tenant's" })
  async ruleset(
    @Caller() caller: Principal,
    @Param('tenant') tenant: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | undefined> {
    assertVisible(caller, tenant, `tenant "${tenant}"`);
    return sendRuleset(req, res, await this.fabric.ruleset(tenant));
  }
}
