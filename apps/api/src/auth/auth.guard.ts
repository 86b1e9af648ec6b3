import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@switchyard/core/database';
import type { Request } from 'express';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators.js';
import { credentials } from './credentials.util.js';
import { hasRole, type Principal } from './principal.js';
import { sessionCookieToken } from './session-cookie.util.js';
import { TokenAuthService } from './token-auth.service.js';

/** Every route needs a token unless marked @Public(); @RequireRole() adds a role check. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenAuthService) private readonly tokens: TokenAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    // an API client's Authorization first, else the web session cookie (with its CSRF check)
    const token = credentials(req.headers.authorization) ?? sessionCookieToken(req);
    if (!token) {
      throw new AppException(ErrorCode.Unauthenticated, 'A token is required: Authorization: Bearer <token>');
    }
    const principal = await this.tokens.authenticate(token);
    if (!principal)
      throw new AppException(ErrorCode.Unauthenticated, 'The token is unknown, revoked or expired');
    req.principal = { ...principal, requestId: typeof req.id === 'string' ? req.id : undefined };
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets);
    if (needed && !hasRole(principal.role, needed)) {
      throw new AppException(
        ErrorCode.Forbidden,
        `This needs the ${needed} role; the token has ${principal.role}`,
      );
    }
    return true;
  }
}
