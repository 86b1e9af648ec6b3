import type { ResolvedService, ServiceResolver } from '../blueprint.types.js';
import { rebindServiceText, serviceTier } from '../expand/resolve-tier-uses.util.js';
import { joinPath } from '../problem.types.js';
import { parseReference } from '../reference/version-reference.util.js';
import { checkReferences, type RuleContext } from './rule-context.util.js';

// Resolves every tier's `uses`; returns the Service behind each tier that has one.
export function checkUses(ctx: RuleContext, resolve: ServiceResolver): Map<string, ResolvedService> {
  const services = new Map<string, ResolvedService>();
  for (const [name, tier] of Object.entries(ctx.doc.tiers ?? {})) {
    const uses = tier?.uses;
    if (uses === undefined || ctx.doc.kind === 'Service') continue;
    const path = joinPath('tiers', `${name}.uses`);
    const parsed = parseReference(uses);
    if (!parsed.ok) {
      ctx.problems.push({ path, message: parsed.problem.message });
      continue;
    }
    const { name: serviceName, range } = parsed.reference;
    const service = resolve(serviceName, range);
    if (service === undefined) {
      ctx.problems.push({ path, message: `no published Service "${serviceName}" matches ${range}` });
      continue;
    }
    const found = service.blueprint.kind === 'Service' ? serviceTier(service) : undefined;
    if (found === undefined) {
      ctx.problems.push({ path, message: `${serviceName}@${service.version} is not a one-tier Service` });
      continue;
    }
    const [, baseTier] = found;
    const size = { ...baseTier.size, ...tier?.size };
    if (
      size.cpu === undefined ||
      size.memoryMiB === undefined ||
      (tier?.image ?? baseTier.image) === undefined
    ) {
      // A resolver may hand back anything; an incomplete Service must not break expansion.
      ctx.problems.push({
        path,
        message: `${serviceName}@${service.version} gives no complete size and image`,
      });
      continue;
    }
    services.set(name, service);
    // What the tier inherits must make sense in this blueprint: its references are checked here.
    const [baseName, base] = found;
    const prefix = `inherited from ${serviceName}@${service.version}: `;
    for (const [key, value] of Object.entries(base.env ?? {})) {
      if (tier?.env?.[key] !== undefined) continue;
      checkReferences(ctx, rebindServiceText(value, baseName, name), path, {
        allowTiers: true,
        prefix: `${prefix}env ${key}: `,
      });
    }
    if (base.init?.script !== undefined && tier?.init?.script === undefined) {
      checkReferences(ctx, rebindServiceText(base.init.script, baseName, name), path, {
        allowTiers: true,
        prefix: `${prefix}init.script: `,
      });
    }
  }
  return services;
}
