import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { UserPasswordsService } from '../users/user-passwords.service.js';
import { ChangeOwnPasswordDto } from '../users/users.dto.js';
import { MeDto } from './me.dto.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(@Inject(UserPasswordsService) private readonly passwords: UserPasswordsService) {}

  @Get()
  @ApiOperation({ summary: 'Who the token belongs to' })
  @ApiOkResponse({ type: MeDto, description: 'Who the token belongs to: user, tenant and role' })
  me(@Caller() caller: Principal): MeDto {
    return {
      user: { id: caller.userId, name: caller.userName },
      tenant: { id: caller.tenantId, name: caller.tenantName },
      role: caller.role,
      tokenId: caller.tokenId,
    };
  }

  @Post('password')
  @ApiOperation({ summary: 'Change your own password' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; your other sign-in sessions end, this one stays' })
  @ApiBadRequestResponse({
    description: 'currentPassword missing or wrong, or newPassword too short or long',
  })
  @ApiForbiddenResponse({
    description:
      'The token’s role is below its user’s (a narrowed token cannot change its user), or a first ' +
      'password through a token someone else (not an admin) made for you: currentPassword is needed ' +
      'whenever you have a password, and a first one needs your own token, an admin’s, or an ' +
      'operator/admin setting it for you',
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many wrong passwords in a row from this address (see POST /api/v1/sessions)',
  })
  async changePassword(@Caller() caller: Principal, @Body() dto: ChangeOwnPasswordDto, @Req() req: Request) {
    await this.passwords.changeOwn(caller, dto, req.ip ?? 'unknown');
  }
}
