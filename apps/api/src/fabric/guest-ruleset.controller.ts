import { Controller, Get, Inject, Req, Res, UseFilters } from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { GuestTokens } from '@switchyard/core/deployments';
import { FabricService } from '@switchyard/network-fabric';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators.js';
import { credentials } from '../auth/credentials.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { FabricExceptionFilter } from './fabric-exception.filter.js';
import { RULESET_EXAMPLE } from './ruleset-example.js';
import { sendRuleset } from './ruleset-response.util.js';

/**
 * What a VM's policy-pull script (installed by its cloud-init) fetches every few seconds: the
 * nftables ruleset of its own instance, with the instance's token. No API token works here, and
 * a guest token works nowhere else (the global guard does not know it).
 */
@ApiTags('fabric')
@Public()
@UseFilters(FabricExceptionFilter)
@Controller('api/v1/guest')
export class GuestRulesetController {
  constructor(
    @Inject(FabricService) private readonly fabric: FabricService,
    @Inject(GuestTokens) private readonly tokens: GuestTokens,
  ) {}

  @Get('ruleset')
  @ApiOperation({
    summary: "An instance's own nftables ruleset, for its policy pull",
    description:
      'Authorization: `Bearer sydg_…`, the per-instance token its cloud-init holds (no API token). ' +
      'Answers what the instance needs to judge its own traffic: its tier group’s rules whole, and of the ' +
      'other groups only the allow rules that can match it. ETag/If-None-Match as for the tenant ruleset. ' +
      '401 for a token that is unknown, or revoked (its instance was removed).',
  })
  @ApiProduces('text/plain')
  @ApiHeader({ name: 'Authorization', required: true, description: 'Bearer sydg_… (the instance token)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of the text held' })
  @ApiOkResponse({
    description: "The instance's ruleset, with its ETag",
    content: { 'text/plain': { schema: { type: 'string', example: RULESET_EXAMPLE } } },
  })
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag in If-None-Match' })
  @ApiUnauthorizedResponse({ description: 'No token, an unknown one, or one revoked' })
  async ruleset(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string | undefined> {
    const token = credentials(req.header('authorization'));
    const guest = token === undefined ? null : await this.tokens.resolve(token);
    if (!guest) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="switchyard-guest"');
      throw new AppException(ErrorCode.Unauthenticated, 'An instance token is needed (unknown or revoked)');
    }
    return sendRuleset(req, res, await this.fabric.ruleset(guest.tenantName, guest.address));
  }
}
