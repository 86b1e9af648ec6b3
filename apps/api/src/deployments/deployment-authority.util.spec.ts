import type { Role } from '@switchyard/core/database';
import type { Principal } from '../auth/principal.js';
import { mayActOnDeployment } from './deployment-authority.util.js';

const caller = (role: Role): Principal => ({
  tokenId: 'tok',
  userId: 'me',
  userName: 'me',
  tenantId: 't1',
  tenantName: 'one',
  role,
  delegated: false,
});

describe('mayActOnDeployment', () => {
  it('members on what they ordered, operators on their tenant’s, admins on all', () => {
    const mine = { tenantId: 't1', requestedBy: 'me' };
    const theirs = { tenantId: 't1', requestedBy: 'someone' };
    const nobodys = { tenantId: 't1', requestedBy: null };
    const elsewhere = { tenantId: 't2', requestedBy: 'me' };
    const table = (role: Role) =>
      [mine, theirs, nobodys, elsewhere].map((d) => mayActOnDeployment(caller(role), d));
    expect(table('member')).toEqual([true, false, false, false]);
    expect(table('operator')).toEqual([true, true, true, false]);
    expect(table('admin')).toEqual([true, true, true, true]);
  });
});
