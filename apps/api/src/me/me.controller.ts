import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  @Get()
  @ApiOkResponse({ description: 'Who the token belongs to: user, tenant and role' })
  me(@Caller() caller: Principal) {
    return {
      user: { id: caller.userId, name: caller.userName },
      tenant: { id: caller.tenantId, name: caller.tenantName },
      role: caller.role,
      tokenId: caller.tokenId,
    };
  }
}
