import type { Db } from '../store/db.util.js';

/**
 * Serializes subnet choices in one address space (a cloud account) until the caller's transaction
 * ends, so that networks cut together never get the same block. The key is the one the worker used
 * before the fabric owned the choice, so that old and new workers exclude each other.
 */
export async function lockAddressSpace(db: Db, space: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`deployment-subnets:${space}`]);
}

/**
 * Until the transaction ends, no other deployment network is cut in this tenant: two cut at once
 * from different address spaces (an OpenStack and a vSphere account) would otherwise both miss
 * the other's uncommitted network and pick the same block, which the tenant's overlap check then
 * refuses. Taken before the address space's lock, always in that order.
 */
export async function lockTenantNetworks(db: Db, tenantId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`deployment-networks:${tenantId}`]);
}
