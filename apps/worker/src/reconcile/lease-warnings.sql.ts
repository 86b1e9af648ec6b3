import { DEFAULT_WARN_BEFORE_MINUTES } from '@switchyard/core/governance';

/**
 * Every tenant's deployments whose lease ends within their tenant's warning time (a day without
 * a policy) and that were not warned for this end yet (an extension moves the end: warned again).
 */
export const LEASES_TO_WARN_SQL = `
  SELECT d.id, d.tenant_id AS "tenantId", d.lease_hours AS "leaseHours", e.ends AS "expiresAt"
    FROM deployments d
   CROSS JOIN LATERAL (SELECT d.created_at + make_interval(hours => d.lease_hours) AS ends) e
    LEFT JOIN lease_policies p ON p.tenant_id = d.tenant_id
    LEFT JOIN lease_warnings w ON w.deployment_id = d.id
   WHERE d.lease_hours IS NOT NULL
     AND d.state IN ('pending', 'provisioning', 'running', 'stopping', 'stopped', 'starting', 'scaling')
     AND e.ends > now()
     AND e.ends - make_interval(mins => COALESCE(p.warn_before_minutes, ${DEFAULT_WARN_BEFORE_MINUTES})) <= now()
     AND (w.expires_at IS NULL OR w.expires_at <> e.ends)
   ORDER BY e.ends LIMIT $1`;

/** Records the warning for this end; answers a row only the first time (one event per end). */
export const RECORD_LEASE_WARNING_SQL = `
  INSERT INTO lease_warnings (deployment_id, expires_at) VALUES ($1, $2)
  ON CONFLICT (deployment_id) DO UPDATE SET expires_at = EXCLUDED.expires_at,
         warned_at = date_trunc('milliseconds', now())
   WHERE lease_warnings.expires_at <> EXCLUDED.expires_at
  RETURNING deployment_id`;
