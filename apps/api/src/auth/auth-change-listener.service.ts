import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { ChangeNotices } from '@switchyard/core/database';
import { PrincipalCache } from './principal-cache.js';

/** The channel the auth tables' triggers notify on commit (migration AuthChangeNotify). */
export const AUTH_CHANGED = 'switchyard_auth_changed';

/**
 * Empties this process's PrincipalCache on every notice of a change to tokens, users or tenants,
 * so a revoked token stops working on every API process within the notice's delivery time; while
 * notices do not arrive the cache answers nothing.
 */
@Injectable()
export class AuthChangeListener implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ChangeNotices) private readonly notices: ChangeNotices,
    @Inject(PrincipalCache) private readonly cache: PrincipalCache,
  ) {}

  onModuleInit(): void {
    if (this.config.sessions.principalCacheMs === 0) return;
    this.notices.subscribe(AUTH_CHANGED, {
      notice: () => this.cache.forgetAll(),
      hearing: (hearing) => this.cache.setListening(hearing),
    });
  }
}
