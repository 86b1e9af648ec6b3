import { endpointIdFor, hostIfnameFor } from './attachment-names.js';
import type { AttachmentRecord } from './attachment-store.js';
import type { CniContext } from './cni-context.js';
import * as container from './container-netns.js';
import * as host from './host-side.js';
import { syncTenantRulesets } from './ruleset-sync.js';

/**
 * DEL: removes the veth (when the namespace is gone, its end went with it; the host end is deleted
 * by name), releases the fabric address, forgets the attachment. Without a record (a DEL after a
 * DEL, or after an ADD that never got far) the names are derived again, so the address is still
 * released. Only an unreachable Switchyard fails it (code 11), keeping the record for the retry.
 */
export async function delCommand(ctx: CniContext): Promise<void> {
  const { inv, cfg, store } = ctx;
  const record: AttachmentRecord = (await store.get(inv.containerId, inv.ifname)) ?? {
    containerId: inv.containerId,
    ifname: inv.ifname,
    netns: inv.netns,
    tenant: cfg.tenant,
    network: cfg.network,
    group: cfg.group,
    endpointId: endpointIdFor(inv.containerId, inv.ifname),
    hostIfname: hostIfnameFor(cfg.namePrefix, inv.containerId, inv.ifname),
  };
  await detach(ctx, record);
  await store.remove(record.containerId, record.ifname);
  // its address left the tenant's policy: the tenant's other containers here get the new text
  await syncTenantRulesets(ctx, record.tenant).catch((err: Error) =>
    process.stderr.write(`switchyard-cni: rulesets after DEL: ${err.message}\n`),
  );
}

/** What DEL and GC both undo: the link, the ruleset if the namespace still exists, the address. */
export async function detach(ctx: CniContext, record: AttachmentRecord): Promise<void> {
  await host.deleteHostLink(record.hostIfname);
  if (record.rulesetTable && container.netnsExists(record.netns) && !(await sharesNamespace(ctx, record))) {
    await container.deleteTable(record.netns, record.rulesetTable);
  }
  await ctx.api.deleteEndpoint(record.tenant, record.endpointId);
}

// another attachment of this network in the same namespace still needs the tenant's table
async function sharesNamespace(ctx: CniContext, record: AttachmentRecord): Promise<boolean> {
  const others = await ctx.store.list();
  return others.some(
    (o) =>
      o.record &&
      o.record.netns === record.netns &&
      o.record.tenant === record.tenant &&
      (o.record.containerId !== record.containerId || o.record.ifname !== record.ifname),
  );
}
