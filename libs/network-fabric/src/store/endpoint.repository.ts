import type { ContivEndpointOper } from '../model/objects.model.js';
import { type Db, select, selectOne } from './db.util.js';

export interface NewEndpoint {
  tenantId: string;
  endpointId: string;
  networkId: string;
  groupId: string | null;
  ipv4: string;
  ipv6: string | null;
  mac: string;
  homingHost: string;
  containerId: string;
  intfName: string;
}

/** An endpoint as stored, with its tenant's, network's and group's names (Contiv's field names). */
export interface EndpointRow {
  id: string;
  endpointID: string;
  tenantName: string;
  networkName: string;
  /** The endpoint group (Contiv's ServiceName), or '' for a network-level endpoint. */
  serviceName: string;
  ipv4: string;
  ipv6: string | null;
  macAddress: string;
  homingHost: string;
  containerID: string;
  intfName: string;
  networkId: string;
  groupId: string | null;
}

const COLUMNS = `e.id, e.endpoint_id AS "endpointID", t.name AS "tenantName", n.name AS "networkName",
  coalesce(g.name, '') AS "serviceName", host(e.ipv4) AS ipv4, host(e.ipv6) AS ipv6, e.mac AS "macAddress",
  e.homing_host AS "homingHost", e.container_id AS "containerID", e.intf_name AS "intfName",
  e.network_id AS "networkId", e.group_id AS "groupId"`;
const FROM = `fabric_endpoints e JOIN tenants t ON t.id = e.tenant_id JOIN fabric_objects n ON n.id = e.network_id
  LEFT JOIN fabric_objects g ON g.id = e.group_id`;

export async function findEndpoint(
  db: Db,
  tenantId: string,
  endpointId: string,
): Promise<EndpointRow | undefined> {
  return selectOne<EndpointRow>(
    db,
    `SELECT ${COLUMNS} FROM ${FROM} WHERE e.tenant_id = $1 AND e.endpoint_id = $2`,
    [tenantId, endpointId],
  );
}

/** Endpoints of a tenant, optionally only of one network or group (by object id). */
export async function listEndpoints(
  db: Db,
  tenantId: string,
  filter: { networkId?: string; groupId?: string } = {},
): Promise<EndpointRow[]> {
  return select<EndpointRow>(
    db,
    `SELECT ${COLUMNS} FROM ${FROM} WHERE e.tenant_id = $1
       AND ($2::bigint IS NULL OR e.network_id = $2) AND ($3::bigint IS NULL OR e.group_id = $3)
     ORDER BY e.endpoint_id`,
    [tenantId, filter.networkId ?? null, filter.groupId ?? null],
  );
}

export async function insertEndpoint(db: Db, e: NewEndpoint): Promise<void> {
  await db.query(
    `INSERT INTO fabric_endpoints (tenant_id, endpoint_id, network_id, group_id, ipv4, ipv6, mac, homing_host,
       container_id, intf_name) VALUES ($1, $2, $3, $4, $5::inet, $6::inet, $7, $8, $9, $10)`,
    [
      e.tenantId,
      e.endpointId,
      e.networkId,
      e.groupId,
      e.ipv4,
      e.ipv6,
      e.mac,
      e.homingHost,
      e.containerId,
      e.intfName,
    ],
  );
}

export async function deleteEndpointRow(db: Db, id: string): Promise<void> {
  await db.query(`DELETE FROM fabric_endpoints WHERE id = $1`, [id]);
}

/**
 * Endpoints whose id or container id is `key`, else starts with it (docker's short ids), in the
 * given tenants (null: all). Exact matches win over prefixes.
 */
export async function findEndpointsByKey(
  db: Db,
  tenantNames: readonly string[] | null,
  key: string,
): Promise<EndpointRow[]> {
  const rows = await select<EndpointRow & { exact: boolean }>(
    db,
    `SELECT ${COLUMNS}, (e.endpoint_id = $2 OR e.container_id = $2) AS exact FROM ${FROM}
      WHERE ($1::text[] IS NULL OR t.name = ANY($1::text[]))
        AND (starts_with(e.endpoint_id, $2) OR (e.container_id <> '' AND starts_with(e.container_id, $2)))
      ORDER BY t.name, e.endpoint_id LIMIT 20`,
    [tenantNames, key],
  );
  const exact = rows.filter((r) => r.exact);
  return (exact.length > 0 ? exact : rows).map(({ exact: _exact, ...r }) => r);
}

/** Contiv's EndpointOper of an endpoint (what inspect answers show). */
export function toContivEndpoint(row: EndpointRow): ContivEndpointOper {
  return {
    containerID: row.containerID,
    containerName: '',
    endpointGroupId: row.groupId === null ? 0 : Number(row.groupId),
    endpointGroupKey: row.serviceName === '' ? '' : `${row.serviceName}:${row.tenantName}`,
    endpointID: row.endpointID,
    homingHost: row.homingHost,
    intfName: row.intfName,
    ipAddress: [row.ipv4, row.ipv6 ?? ''],
    labels: '',
    macAddress: row.macAddress,
    network: `${row.networkName}.${row.tenantName}`,
    serviceName: row.serviceName,
    virtualPort: '',
    vtepIP: '',
  };
}
