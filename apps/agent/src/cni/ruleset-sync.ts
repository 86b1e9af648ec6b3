import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { rulesetTable } from './attachment-names.js';
import { AttachmentStore, type AttachmentRecord } from './attachment-store.js';
import type { CniContext } from './cni-context.js';
import { CniCode, CniError } from './cni-error.js';
import * as container from './container-netns.js';

// Every container of a tenant loads the same ruleset text, and it changes whenever an endpoint comes
// or goes (endpoints' own addresses place them in their groups). So each ADD and DEL brings every
// attachment of the tenant recorded on this host to the fabric's current text, under a host-wide
// lock so that two plugins running at once cannot leave an older text loaded after a newer one.
// Changes made in the fabric at other times reach a container on its next CHECK.

const LOCK_WAIT_MS = 20_000;
const LOCK_STALE_MS = 60_000;

export type Ruleset = { text: string; etag: string };

/** Loads the ruleset in the namespace; answers its ETag and table for the record. */
export async function loadRuleset(
  netns: string,
  tenant: string,
  ruleset: Ruleset,
): Promise<{ rulesetEtag: string; rulesetTable: string }> {
  const table = rulesetTable(ruleset.text);
  if (!table) {
    throw new CniError(CniCode.FabricRefused, 'the tenant ruleset defines no inet table', `tenant ${tenant}`);
  }
  await container.loadRuleset(netns, ruleset.text);
  return { rulesetEtag: ruleset.etag, rulesetTable: table };
}

/**
 * Fetches the tenant's current ruleset and loads it wherever a recorded attachment of the tenant on
 * this host holds another one (or none); answers it. `own` (the attachment being added) is loaded
 * whatever it holds; failures elsewhere are reported on stderr and left to CHECK.
 */
export async function syncTenantRulesets(
  ctx: CniContext,
  tenant: string,
  own?: AttachmentRecord,
): Promise<Ruleset> {
  return withHostLock(ctx.cfg.stateDir, async () => {
    const ruleset = await ctx.api.ruleset(tenant);
    if (!ruleset) throw new CniError(CniCode.FabricRefused, 'no ruleset in the answer', `tenant ${tenant}`);
    if (own) await ctx.store.put({ ...own, ...(await loadRuleset(own.netns, tenant, ruleset)) });
    for (const name of await networkNames(ctx.cfg.stateDir)) {
      const store = new AttachmentStore(ctx.cfg.stateDir, name);
      for (const { record } of await store.list()) {
        if (!record || record.tenant !== tenant || record.rulesetEtag === ruleset.etag) continue;
        if (own && record.containerId === own.containerId && record.ifname === own.ifname) continue;
        if (!record.rulesetTable || !container.netnsExists(record.netns)) continue;
        try {
          await store.put({ ...record, ...(await loadRuleset(record.netns, tenant, ruleset)) });
        } catch (err) {
          process.stderr.write(
            `switchyard-cni: ruleset of ${record.containerId}: ${(err as Error).message}\n`,
          );
        }
      }
    }
    return ruleset;
  });
}

/** CHECK's part: the ruleset in place and current, reloaded when its table is missing or changed. */
export async function ensureRuleset(ctx: CniContext, record: AttachmentRecord): Promise<void> {
  const present = record.rulesetTable
    ? await container.tableExists(record.netns, record.rulesetTable)
    : false;
  if (present && !(await ctx.api.ruleset(record.tenant, record.rulesetEtag))) return;
  await syncTenantRulesets(ctx, record.tenant, record);
}

async function networkNames(stateDir: string): Promise<string[]> {
  try {
    const entries = await readdir(stateDir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

// mkdir is atomic: whoever makes the directory holds the lock; one left by a killed plugin is
// taken over once it is older than any plugin run
async function withHostLock<T>(stateDir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const lock = join(stateDir, '.ruleset.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await rmdir(lock).catch(() => undefined);
      else if (Date.now() > deadline) {
        throw new CniError(CniCode.TryAgainLater, 'another switchyard-cni holds the ruleset lock', lock);
      } else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}
