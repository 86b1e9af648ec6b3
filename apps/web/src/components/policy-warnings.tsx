import type { DeploymentEvent } from '../api/types';

/** A `policy.unsupported` event's data, as the worker writes it (see policy-warnings.util.ts). */
interface PolicyWarning {
  tier: string;
  environment: string;
  cloud?: string;
  rules: { ruleId?: string; text?: string; reason?: string }[];
  enforcedBy?: string;
}

function warningOf(e: DeploymentEvent): (PolicyWarning & { id: string }) | null {
  if (e.type !== 'policy.unsupported' || typeof e.data !== 'object' || e.data === null) return null;
  const data = e.data as Partial<PolicyWarning>;
  if (typeof data.tier !== 'string' || !Array.isArray(data.rules)) return null;
  return { environment: '', ...data, tier: data.tier, rules: data.rules, id: e.id };
}

/**
 * Policy rules a tier's cloud does not enforce: one line per tier and environment, a chip naming
 * each rule (its reason on hover and for screen readers), and what will enforce it instead.
 */
export function PolicyWarnings({ events }: { events: DeploymentEvent[] }) {
  const warnings = events.map(warningOf).filter((w) => w !== null);
  if (!warnings.length) return null;
  return (
    <section aria-label="Policy rules the cloud does not enforce">
      <h2>Policy rules not enforced</h2>
      <ul className="policy-warnings">
        {warnings.map((w) => (
          <li key={w.id} data-tier={w.tier}>
            <strong>{w.tier}</strong> on {w.environment}
            {w.cloud ? ` (${w.cloud})` : ''}:{' '}
            {w.rules.map((r, i) => (
              <span key={r.ruleId ?? i}>
                <span className="state-pill s-warn" title={r.reason} data-rule={r.ruleId}>
                  {r.text ?? r.ruleId ?? 'a rule'}
                </span>{' '}
              </span>
            ))}
            <p className="muted small">
              {[...new Set(w.rules.map((r) => r.reason).filter(Boolean)), w.enforcedBy]
                .filter((text): text is string => Boolean(text))
                .map((text) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`)
                .join(' ')}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
