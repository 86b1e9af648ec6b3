import type { ExpandedTier, ResolvedService, TierSpec } from '../blueprint.types.js';

export function serviceTier(service: ResolvedService): [string, TierSpec] | undefined {
  const entries = Object.entries(service.blueprint.tiers);
  return entries.length === 1 ? entries[0] : undefined;
}

// A Service's text that names its own tier's address must name the consuming tier instead.
export function rebindServiceText(text: string, serviceTierName: string, tierName: string): string {
  return text.split(`\${tiers.${serviceTierName}.address}`).join(`\${tiers.${tierName}.address}`);
}

/**
 * The effective tier: what the tier says, over what its Service (if any) provides.
 * size merges field by field, env key by key; image, ports, init.packages and
 * init.script are each replaced as a whole when the tier gives them.
 */
export function resolveTierUses(name: string, tier: TierSpec, service?: ResolvedService): ExpandedTier {
  const [baseName, base] = (service && serviceTier(service)) ?? [name, {} as TierSpec];
  const rebind = (text: string): string => rebindServiceText(text, baseName, name);
  const baseEnv = Object.fromEntries(Object.entries(base.env ?? {}).map(([k, v]) => [k, rebind(v)]));
  const size = { ...base.size, ...tier.size };
  const image = tier.image ?? base.image;
  if (size.cpu === undefined || size.memoryMiB === undefined || image === undefined) {
    // checkBlueprint reports this as a problem first; reaching here is a caller bug.
    throw new Error(`Tier ${name} has no complete size and image`);
  }
  const script =
    tier.init?.script ?? (base.init?.script === undefined ? undefined : rebind(base.init.script));
  const packages = tier.init?.packages ?? base.init?.packages;
  const expanded: ExpandedTier = {
    name,
    size: {
      cpu: size.cpu,
      memoryMiB: size.memoryMiB,
      ...(size.diskGiB === undefined ? {} : { diskGiB: size.diskGiB }),
    },
    image,
    count: tier.count ?? tier.scale?.min ?? 1,
    dependsOn: tier.dependsOn ?? [],
    ports: tier.ports ?? base.ports ?? [],
    init: { ...(packages === undefined ? {} : { packages }), ...(script === undefined ? {} : { script }) },
    env: { ...baseEnv, ...tier.env },
  };
  if (service) expanded.uses = { name: service.name, version: service.version };
  if (tier.scale) expanded.scale = tier.scale;
  return expanded;
}
