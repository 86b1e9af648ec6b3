import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { tenantOnly } from '@switchyard/core/database';
import type { Principal } from '../auth/principal.js';
import { TokenAuthService } from '../auth/token-auth.service.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import type { SignInDto } from '../sessions/sessions.dto.js';
import { SessionsService, type SignInOrigin } from '../sessions/sessions.service.js';
import { TokensRepository } from '../tokens/tokens.repository.js';
import type { WebSessionDto, WebSessionKind } from './web-session.dto.js';

/** A web session to put in the cookies: the token (for the cookie only) and what the app sees. */
export interface OpenedWebSession {
  token: string;
  expiresAt: Date;
  view: WebSessionDto;
}

interface TokenFacts {
  kind: WebSessionKind;
  expiresAt: Date | null;
}

/**
 * The browser's session, kept in an HttpOnly cookie instead of the page: a password sign-in's
 * session token, or a pasted API token. The token never goes back to the page.
 */
@Injectable()
export class WebSessionService {
  constructor(
    @Inject(TokensRepository) private readonly tokenRows: TokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SessionsService) private readonly sessions: SessionsService,
    @Inject(TokenAuthService) private readonly tokens: TokenAuthService,
  ) {}

  /** A password sign-in (with its rate limits and lockout), its session token for the cookie. */
  async withPassword(dto: SignInDto, origin: SignInOrigin): Promise<OpenedWebSession> {
    const s = await this.sessions.signIn(dto, origin);
    const expiresAt = new Date(s.expiresAt);
    const view: WebSessionDto = {
      user: s.user,
      tenant: s.tenant,
      role: s.role,
      tokenId: s.tokenId,
      kind: 'session',
      expiresAt: s.expiresAt,
    };
    return { token: s.token, expiresAt, view };
  }

  /**
   * A pasted API token, kept as it is in the cookie (not exchanged for another token: revoking it
   * must end the browser's session too). The browser forgets it after SESSION_TTL_HOURS at most.
   */
  async withToken(token: string): Promise<OpenedWebSession> {
    const principal = await this.tokens.authenticate(token);
    if (!principal)
      throw new AppException(ErrorCode.Unauthenticated, 'The token is unknown, revoked or expired');
    const facts = await this.facts(principal);
    const expiresAt = this.cookieExpiry(facts);
    return { token, expiresAt, view: toView(principal, facts.kind, expiresAt) };
  }

  /** The caller's session as the web app sees it, after a reload. */
  async describe(caller: Principal): Promise<WebSessionDto> {
    const facts = await this.facts(caller);
    return toView(caller, facts.kind, this.cookieExpiry(facts));
  }

  /**
   * Sign-out with the cookie's token: a password sign-in's token is revoked; a pasted API token
   * is not (it may be a long-lived one used elsewhere), only forgotten by the browser. `verify`
   * (the CSRF check) runs only for a live token, and may throw to refuse.
   */
  async end(
    token: string,
    requestId: string | undefined,
    verify: () => void,
  ): Promise<Principal | undefined> {
    const principal = await this.tokens.authenticate(token);
    if (!principal) return undefined;
    verify();
    const facts = await this.facts(principal);
    if (facts.kind === 'session') await this.sessions.end({ ...principal, requestId });
    return principal;
  }

  private async facts(principal: Principal): Promise<TokenFacts> {
    const token = await this.tokenRows.find(tenantOnly(principal.tenantId), principal.tokenId);
    // authenticated a moment ago: gone now means revoked meanwhile
    if (!token) throw new AppException(ErrorCode.Unauthenticated, 'The token is unknown, revoked or expired');
    return { kind: token.kind, expiresAt: token.expiresAt };
  }

  private cookieExpiry(facts: TokenFacts): Date {
    const longest = Date.now() + this.config.sessions.ttlHours * 3_600_000;
    return new Date(facts.expiresAt ? Math.min(facts.expiresAt.getTime(), longest) : longest);
  }
}

function toView(p: Principal, kind: WebSessionKind, expiresAt: Date): WebSessionDto {
  return {
    user: { id: p.userId, name: p.userName },
    tenant: { id: p.tenantId, name: p.tenantName },
    role: p.role,
    tokenId: p.tokenId,
    kind,
    expiresAt: expiresAt.toISOString(),
  };
}
