import type { Role } from '@switchyard/core/database';
import { AppException, ErrorCode } from '../common/app.exception.js';
import type { Principal } from './principal.js';
import { assertUserAuthority } from './user-authority.util.js';

const caller = (role: Role, userId = 'me', tenantId = 't1'): Principal => ({
  tokenId: 'tok',
  userId,
  userName: 'me',
  tenantId,
  tenantName: 'one',
  role,
  delegated: false,
});

/** The error code the rule answers with, or 'ok'. */
const verdict = (c: Principal, user: { id: string; tenantId: string; role: Role }): string => {
  try {
    assertUserAuthority(c, user, 'change');
    return 'ok';
  } catch (err) {
    if (err instanceof AppException) return err.code;
    throw err;
  }
};

describe('assertUserAuthority', () => {
  const ranks: Role[] = ['member', 'operator', 'admin'];

  it('lets operators and admins reach users at or below their role, never above', () => {
    for (const c of ranks)
      for (const t of ranks) {
        const got = verdict(caller(c), { id: 'other', tenantId: 't1', role: t });
        const want = c === 'member' || ranks.indexOf(t) > ranks.indexOf(c) ? ErrorCode.Forbidden : 'ok';
        expect(`${c}→${t}: ${got}`).toBe(`${c}→${t}: ${want}`);
      }
  });

  it('hides other tenants’ users from all but admins', () => {
    expect(verdict(caller('operator'), { id: 'x', tenantId: 't2', role: 'member' })).toBe(ErrorCode.NotFound);
    expect(verdict(caller('member'), { id: 'me', tenantId: 't2', role: 'member' })).toBe(ErrorCode.NotFound);
    expect(verdict(caller('admin'), { id: 'x', tenantId: 't2', role: 'admin' })).toBe('ok');
  });

  it('measures a narrowed token by its own role, even against its own user', () => {
    expect(verdict(caller('member'), { id: 'me', tenantId: 't1', role: 'member' })).toBe('ok');
    expect(verdict(caller('operator'), { id: 'me', tenantId: 't1', role: 'admin' })).toBe(
      ErrorCode.Forbidden,
    );
    expect(verdict(caller('member'), { id: 'me', tenantId: 't1', role: 'operator' })).toBe(
      ErrorCode.Forbidden,
    );
  });
});
