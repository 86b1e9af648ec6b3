import type { ExpandedBlueprint, ParameterValue } from '../blueprint.types.js';
import { wholeParameterRef } from '../validate/interpolation.util.js';
import type { FabricPlan, PolicyRulePlan } from './plan.types.js';

const ALLOW_PRIORITY = 10;
const DENY_ALL_PRIORITY = 1;
const ANY_IPV4 = '0.0.0.0/0';

/*
 * One policy per tier, a whitelist in Contiv's model:
 * - for each connection `{from, to: T, ports}` and each port `N/proto`, an allow rule
 *   { ruleId: "c<connection>-<proto>-<N>", direction: "in", priority: 10, action: "allow",
 *     protocol, port: N, and one source: fromEndpointGroup (a tier), or fromIpAddress
 *     (a CIDR, a cidr parameter's value, or 0.0.0.0/0 for internet) };
 *   a connection without ports gives one rule "c<connection>-any" with protocol "" and port 0;
 * - last, { ruleId: "deny-all", direction: "in", priority: 1, action: "deny", protocol: "", port: 0 }
 *   with no source. Higher priority wins, so listed traffic passes and the rest is refused.
 * Outbound traffic is not restricted (no `out` rules).
 */
export function planFabric(
  blueprint: ExpandedBlueprint,
  parameters: Readonly<Record<string, ParameterValue>>,
  environmentOf: ReadonlyMap<string, string>,
): FabricPlan {
  const environments = [...new Set(environmentOf.values())];
  const tierNames = Object.keys(blueprint.tiers);
  const policies = tierNames.map((tier) => {
    const rules: PolicyRulePlan[] = [];
    blueprint.connections.forEach((connection, index) => {
      if (connection.to !== tier) return;
      const source = sourceOf(connection.from, blueprint, parameters);
      const ports = connection.ports ?? [];
      if (ports.length === 0) {
        rules.push({ ruleId: `c${index}-any`, ...allow(source), protocol: '', port: 0 });
      }
      for (const port of ports) {
        const [number = '0', protocol] = port.split('/');
        rules.push({
          ruleId: `c${index}-${protocol}-${number}`,
          ...allow(source),
          protocol: protocol === 'udp' ? 'udp' : 'tcp',
          port: Number(number),
        });
      }
    });
    rules.push({
      ruleId: 'deny-all',
      direction: 'in',
      priority: DENY_ALL_PRIORITY,
      action: 'deny',
      protocol: '',
      port: 0,
    });
    return { tier, rules };
  });
  return {
    networks: environments.map((environment) => ({ environment })),
    endpointGroups: tierNames.map((tier) => ({ tier, environment: environmentOf.get(tier) ?? '' })),
    policies,
  };
}

type Source = { fromEndpointGroup: string } | { fromIpAddress: string };

function allow(source: Source): Pick<PolicyRulePlan, 'direction' | 'priority' | 'action'> & Source {
  return { direction: 'in', priority: ALLOW_PRIORITY, action: 'allow', ...source };
}

function sourceOf(
  from: string,
  blueprint: ExpandedBlueprint,
  parameters: Readonly<Record<string, ParameterValue>>,
): Source {
  if (Object.hasOwn(blueprint.tiers, from)) return { fromEndpointGroup: from };
  if (from === 'internet') return { fromIpAddress: ANY_IPV4 };
  const param = wholeParameterRef(from);
  // planDeployment has checked that the parameter holds a CIDR.
  if (param !== undefined) return { fromIpAddress: String(parameters[param]) };
  return { fromIpAddress: from };
}
