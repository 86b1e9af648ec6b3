import type { Role } from '@switchyard/core/database';

/** Who is calling: the token's owner, tenant and role. */
export interface Principal {
  tokenId: string;
  userId: string;
  userName: string;
  tenantId: string;
  tenantName: string;
  role: Role;
  /**
   * The token was made for its user by someone else who is not an admin (or from such a token):
   * it acts for the user but does not speak for it, e.g. it cannot set a first password.
   */
  delegated: boolean;
  /** The request that acts, for the audit log. */
  requestId?: string;
}

const RANK: Record<Role, number> = { member: 1, operator: 2, admin: 3 };

/** Whether `role` is at least `needed` (admin > operator > member). */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
