import type { DeploymentDetail, RuleEnforcement } from '../api/types';

/** How a rule is enforced, in words: both mechanisms, or nftables in the guest only. */
function enforcedBy(r: RuleEnforcement): string {
  const group = r.mechanisms.includes('security-group');
  const guest = r.mechanisms.includes('nftables');
  if (group && guest) return 'security group + nftables in the guest';
  if (guest) return 'nftables in the guest only';
  return group ? 'security group only' : 'nothing';
}

/**
 * Per tier, every rule of its policy and what enforces it: the cloud's security group where it can
 * express the rule, and nftables in every VM of the tier (each VM loads its ruleset at boot and
 * pulls changes). A rule in the guest only says why the cloud's group does not hold it.
 */
export function PolicyEnforcement({ deployment: d }: { deployment: DeploymentDetail }) {
  const tiers = d.tiers.filter((t) => t.enforcement?.rules.length);
  if (!tiers.length) return null;
  return (
    <section aria-label="Policy enforcement">
      <h2>Policy enforcement</h2>
      <ul className="policy-enforcement">
        {tiers.map((t) => (
          <li key={t.tier} data-tier={t.tier}>
            <strong>{t.tier}</strong> on {t.environment} ({t.enforcement!.cloud}):{' '}
            {t.enforcement!.rules.map((r) => {
              const how = enforcedBy(r);
              return (
                <span key={r.ruleId}>
                  <span
                    className={`state-pill ${r.mechanisms.length === 2 ? 's-running' : 's-warn'}`}
                    title={r.securityGroupGap ? `${how}: ${r.securityGroupGap}` : how}
                    data-rule={r.ruleId}
                    data-enforced-by={r.mechanisms.join(' ')}
                  >
                    {r.text}
                  </span>{' '}
                </span>
              );
            })}
            <p className="muted small">
              {t.enforcement!.rules.map((r) => `${r.ruleId}: ${enforcedBy(r)}`).join('; ')}.
              {[...new Set(t.enforcement!.rules.map((r) => r.securityGroupGap).filter(Boolean))].map(
                (gap) => ` ${gap!.charAt(0).toUpperCase()}${gap!.slice(1)}.`,
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
