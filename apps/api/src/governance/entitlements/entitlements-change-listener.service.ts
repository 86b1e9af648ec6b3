import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { ChangeNotices } from '@switchyard/core/database';
import { EntitlementsCache } from './entitlements-cache.js';

/** The channel tenant_entitlements' triggers notify on commit (migration EntitlementsChangeNotify). */
export const ENTITLEMENTS_CHANGED = 'switchyard_entitlements_changed';

/** Empties this process's EntitlementsCache on every notice of a change to any tenant's entitlements. */
@Injectable()
export class EntitlementsChangeListener implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ChangeNotices) private readonly notices: ChangeNotices,
    @Inject(EntitlementsCache) private readonly cache: EntitlementsCache,
  ) {}

  onModuleInit(): void {
    // the same bound as who a token is: both are answered from memory only while notices arrive
    if (this.config.sessions.principalCacheMs === 0) return;
    this.notices.subscribe(ENTITLEMENTS_CHANGED, {
      notice: () => this.cache.forgetAll(),
      hearing: (hearing) => this.cache.setListening(hearing),
    });
  }
}
