import { detach } from './del.command.js';
import type { CniContext } from './cni-context.js';
import { CniCode, CniError } from './cni-error.js';
import { syncTenantRulesets } from './ruleset-sync.js';

/**
 * GC: every attachment recorded for this network that the runtime's `cni.dev/valid-attachments`
 * does not list is detached (its address released, its host link and table removed) and forgotten.
 * An attachment that fails is reported and the rest are still collected.
 */
export async function gcCommand(ctx: CniContext): Promise<{ removed: number }> {
  const valid = new Set((ctx.cfg.validAttachments ?? []).map((a) => `${a.containerID}\0${a.ifname}`));
  const problems: string[] = [];
  let removed = 0;
  const tenants = new Set<string>();
  for (const entry of await ctx.store.list()) {
    if (!entry.record) {
      problems.push(`${entry.file}: unreadable record (${entry.problem ?? 'unknown'})`);
      continue;
    }
    const { containerId, ifname } = entry.record;
    if (valid.has(`${containerId}\0${ifname}`)) continue;
    try {
      await detach(ctx, entry.record);
      await ctx.store.removeFile(entry.file);
      removed++;
      tenants.add(entry.record.tenant);
    } catch (err) {
      problems.push(`${containerId}/${ifname}: ${(err as Error).message}`);
    }
  }
  for (const tenant of tenants) {
    await syncTenantRulesets(ctx, tenant).catch((err: Error) =>
      problems.push(`rulesets of ${tenant}: ${err.message}`),
    );
  }
  if (problems.length > 0) {
    throw new CniError(
      CniCode.GarbageCollectionIncomplete,
      `${problems.length} stale attachment(s) not removed (${removed} removed)`,
      problems.join('; '),
    );
  }
  return { removed };
}
