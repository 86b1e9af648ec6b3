import type { Role } from '@switchyard/core/database';
import { inScope } from '@switchyard/core/database';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { hasRole, type Principal } from './principal.js';
import { tenantScope } from './tenant-scope.util.js';

const an = (role: Role): string => `${role === 'member' ? 'A' : 'An'} ${role}`;

/** A user as the rule needs to see it. */
export interface UserSubject {
  id: string;
  tenantId: string;
  role: Role;
}

/**
 * The one rule for acting on a user: changing it, setting its password, making or revoking its
 * tokens, acting as it. Every such route goes through here.
 * - A user of another tenant does not exist for a non-admin (404, as everywhere).
 * - The caller's power is its token's role, not its user's: a user above that role is out of
 *   reach, the caller's own user included, so a narrowed token cannot climb back to its owner's
 *   role (e.g. by setting the owner's password and signing in).
 * - Members reach only themselves.
 * Operators and admins reach users at or below their role (peers included: no climb in role).
 * `what` names the act, for the message.
 */
export function assertUserAuthority(caller: Principal, user: UserSubject, what: string): void {
  if (!inScope(tenantScope(caller), user.tenantId)) {
    throw AppException.notFound(`user ${user.id}`);
  }
  if (!hasRole(caller.role, user.role)) {
    throw new AppException(
      ErrorCode.Forbidden,
      user.id === caller.userId
        ? `${an(caller.role)} token cannot ${what} its own ${user.role} user: use a token of the ${user.role} role`
        : `${an(caller.role)} cannot ${what} a user with the ${user.role} role`,
    );
  }
  if (caller.role === 'member' && user.id !== caller.userId) {
    throw new AppException(ErrorCode.Forbidden, `Members cannot ${what} another user`);
  }
}
