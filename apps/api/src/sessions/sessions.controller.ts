import { Body, Controller, Delete, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Caller, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { SessionDto, SignInDto } from './sessions.dto.js';
import { SessionsService } from './sessions.service.js';

/** Sign-in with a user name and password (for people: the web app, `syd login`), and sign-out. */
@ApiTags('sessions')
@Controller('api/v1/sessions')
export class SessionsController {
  constructor(@Inject(SessionsService) private readonly sessions: SessionsService) {}

  @Post()
  @ApiOperation({ summary: 'Sign in with a password: a session token' })
  @Public()
  @ApiCreatedResponse({
    type: SessionDto,
    description: 'A token of the user’s role that expires after SESSION_TTL_HOURS, shown this once',
  })
  @ApiBadRequestResponse({ description: 'A missing or malformed field, named by its path' })
  @ApiUnauthorizedResponse({
    description: 'Wrong tenant, user name or password: one answer for all, in about the same time',
  })
  @ApiTooManyRequestsResponse({
    description:
      '5 failed sign-ins in a row for one user name from one client address lock that address out ' +
      'of it for 30 s, doubling up to 15 min; 50 failures for one user name from all addresses within ' +
      '15 minutes rest it until the window ends; unknown names are counted alike (the answer never ' +
      'tells whether a user exists); more than SIGN_IN_PER_ADDRESS_PER_MINUTE sign-ins from one ' +
      'address wait for the next minute',
    headers: {
      'Retry-After': { description: 'Seconds until it may be tried again', schema: { type: 'integer' } },
    },
  })
  async create(@Body() dto: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const session = await this.sessions.signIn(dto, {
      requestId: typeof req.id === 'string' ? req.id : undefined,
      ip: req.ip,
    });
    res.location(`/api/v1/tokens/${session.tokenId}`);
    res.setHeader('Cache-Control', 'no-store');
    return session;
  }

  @Delete('current')
  @ApiOperation({ summary: 'Sign out: revoke the token of this request' })
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Sign-out: the token this request used is revoked' })
  async end(@Caller() caller: Principal) {
    await this.sessions.end(caller);
  }
}
