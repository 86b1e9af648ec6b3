import { NoticeCache } from '../../common/notice-cache.js';
import type { Entitlement } from './entitlements.repository.js';

/**
 * Each tenant's entitlements by tenant id, kept in memory so a catalog list needs no read of them,
 * for as long as the process hears Postgres's change notices (EntitlementsChangeListener).
 */
export class EntitlementsCache extends NoticeCache<Entitlement> {}
