import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import type { Request, Response } from 'express';
import { Caller, Public } from '../auth/auth.decorators.js';
import { cookieHeader } from '../auth/cookie-header.util.js';
import type { Principal } from '../auth/principal.js';
import { checkCsrf, isCrossSite, SESSION_COOKIE } from '../auth/session-cookie.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { SignInDto } from '../sessions/sessions.dto.js';
import { clearWebSessionCookies, setWebSessionCookies } from './web-session-cookies.util.js';
import { WebSessionDto, WebTokenSignInDto } from './web-session.dto.js';
import { WebSessionService, type OpenedWebSession } from './web-session.service.js';

const requestIdOf = (req: Request) => (typeof req.id === 'string' ? req.id : undefined);

/**
 * The web app's session, in cookies the page's scripts cannot read (`syd_session`, HttpOnly) and
 * a CSRF token it echoes (`syd_csrf`). API clients use tokens and POST /api/v1/sessions instead.
 */
@ApiTags('sessions')
@Controller('api/v1/web-session')
export class WebSessionController {
  constructor(
    @Inject(WebSessionService) private readonly sessions: WebSessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Web sign-in with a password (session cookie)' })
  @Public()
  @ApiCreatedResponse({ type: WebSessionDto, description: 'Signed in: the session is in the cookies' })
  @ApiBadRequestResponse({ description: 'A missing or malformed field, named by its path' })
  @ApiUnauthorizedResponse({ description: 'Wrong tenant, user name or password: one answer for all' })
  @ApiForbiddenResponse({ description: 'Sent by a page of another site' })
  @ApiTooManyRequestsResponse({ description: 'As POST /api/v1/sessions' })
  async withPassword(@Body() dto: SignInDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    refuseCrossSite(req);
    const opened = await this.sessions.withPassword(dto, { requestId: requestIdOf(req), ip: req.ip });
    return this.open(req, res, opened);
  }

  @Post('token')
  @ApiOperation({ summary: 'Web sign-in with an API token (session cookie)' })
  @Public()
  @ApiCreatedResponse({ type: WebSessionDto, description: 'Signed in with the token: it is in the cookies' })
  @ApiUnauthorizedResponse({ description: 'The token is unknown, revoked or expired' })
  @ApiForbiddenResponse({ description: 'Sent by a page of another site' })
  async withToken(
    @Body() dto: WebTokenSignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    refuseCrossSite(req);
    return this.open(req, res, await this.sessions.withToken(dto.token));
  }

  @Get()
  @ApiOperation({ summary: 'The web session of this cookie' })
  @ApiOkResponse({ type: WebSessionDto, description: 'Who is signed in, and how' })
  @ApiUnauthorizedResponse({ description: 'Not signed in (no cookie, or its token ended)' })
  async current(@Caller() caller: Principal, @Res({ passthrough: true }) res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    return this.sessions.describe(caller);
  }

  @Delete()
  @ApiOperation({ summary: 'Web sign-out: end the session cookie' })
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Signed out: the cookies are cleared, and a password sign-in’s token revoked',
  })
  @ApiForbiddenResponse({ description: 'Without the CSRF token, or sent by a page of another site' })
  async end(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const token = cookieHeader(req.headers.cookie).get(SESSION_COOKIE);
    // a dead token's cookie is only cleared; a live one is ended only by this site's own page
    if (token) await this.sessions.end(token, requestIdOf(req), () => checkCsrf(req, token));
    clearWebSessionCookies(req, res, this.config.sessions.cookieSecure);
  }

  private open(req: Request, res: Response, opened: OpenedWebSession): WebSessionDto {
    setWebSessionCookies(req, res, opened.token, opened.expiresAt, this.config.sessions.cookieSecure);
    res.setHeader('Cache-Control', 'no-store');
    return opened.view;
  }
}

// Login CSRF: another site must not sign the browser in to an account of its choosing.
function refuseCrossSite(req: Request): void {
  if (isCrossSite(req)) throw new AppException(ErrorCode.Forbidden, 'Sign-in from a page of another site');
}
