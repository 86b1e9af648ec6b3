import { bridgeNameFor, endpointIdFor, hostIfnameFor, vxlanNameFor } from './attachment-names.js';
import type { AttachmentRecord } from './attachment-store.js';
import type { CniContext } from './cni-context.js';
import { CniCode, CniError } from './cni-error.js';
import { agentBridge } from './host-agent-client.js';
import { attachmentResult, type CniResult } from './cni-result.js';
import * as container from './container-netns.js';
import * as host from './host-side.js';
import { ensureRuleset, syncTenantRulesets } from './ruleset-sync.js';

/**
 * ADD: an address from the fabric (createEndpoint), a veth from the container's namespace into the
 * network's bridge (with a VXLAN device when the network spans hosts), the tenant's ruleset loaded
 * in the namespace. Recorded before anything is made, so that DEL always finds what to release; a
 * failure part way undoes what was made. Repeated for an attachment that is complete, it answers
 * the first result (and reloads the ruleset if it went missing).
 */
export async function addCommand(ctx: CniContext): Promise<CniResult> {
  const { inv, cfg, store, api } = ctx;
  if (!container.netnsExists(inv.netns)) {
    throw new CniError(
      CniCode.InvalidEnvironment,
      'invalid environment variables',
      `CNI_NETNS: ${inv.netns} does not exist`,
    );
  }
  const existing = await store.get(inv.containerId, inv.ifname);
  const interfaceThere = await container.linkExistsIn(inv.netns, inv.ifname);
  if (existing?.result && existing.netns === inv.netns && interfaceThere) {
    await ensureRuleset(ctx, existing);
    return existing.result;
  }
  if (interfaceThere && !existing) {
    throw new CniError(
      CniCode.InvalidEnvironment,
      'invalid environment variables',
      `CNI_IFNAME: ${inv.ifname} already exists in ${inv.netns}`,
    );
  }
  const network = await api.network(cfg.tenant, cfg.network);
  const record: AttachmentRecord = {
    containerId: inv.containerId,
    ifname: inv.ifname,
    netns: inv.netns,
    tenant: cfg.tenant,
    network: cfg.network,
    group: cfg.group,
    endpointId: endpointIdFor(inv.containerId, inv.ifname),
    hostIfname: hostIfnameFor(cfg.namePrefix, inv.containerId, inv.ifname),
  };
  await store.put(record);
  try {
    const endpoint = await api.createEndpoint({ ...record, containerId: inv.containerId, host: cfg.hostId });
    const address = `${endpoint.ipv4}/${network.prefixLength}`;
    const bridge = cfg.agent ? await agentBridge(cfg.agent, network) : bridgeNameFor(cfg.namePrefix, network);
    if (!cfg.agent)
      await host.ensureBridge(
        bridge,
        network.gateway ? `${network.gateway}/${network.prefixLength}` : '',
        cfg.mtu,
      );
    if (network.encap === 'vxlan' && cfg.vxlan && !cfg.agent) {
      await host.ensureVxlan(
        vxlanNameFor(cfg.namePrefix, network),
        network.tag,
        cfg.vxlan.localAddress,
        bridge,
        cfg.vxlan.remotes,
      );
    }
    // what an earlier, interrupted ADD of this attachment left
    await host.deleteHostLink(record.hostIfname);
    await container.createVeth(record.hostIfname, inv.ifname, inv.netns, cfg.mtu);
    await host.plugIntoBridge(record.hostIfname, bridge);
    await container.configureContainer(inv.netns, inv.ifname, {
      mac: endpoint.mac,
      address,
      gateway: network.gateway,
    });
    await syncTenantRulesets(ctx, cfg.tenant, record);
    const result = attachmentResult(
      cfg.cniVersion,
      {
        hostIfname: record.hostIfname,
        hostMac: await host.hostMac(record.hostIfname),
        ifname: inv.ifname,
        mac: endpoint.mac,
        netns: inv.netns,
        address,
        gateway: network.gateway,
        ...(cfg.mtu ? { mtu: cfg.mtu } : {}),
      },
      cfg.dns,
      cfg.prevResult,
    );
    const withRuleset = (await store.get(record.containerId, record.ifname)) ?? record;
    await store.put({ ...withRuleset, bridge, result });
    return result;
  } catch (err) {
    await undo(ctx, record);
    throw err;
  }
}

async function undo(ctx: CniContext, record: AttachmentRecord): Promise<void> {
  try {
    await host.deleteHostLink(record.hostIfname);
    await ctx.api.deleteEndpoint(record.tenant, record.endpointId);
    await ctx.store.remove(record.containerId, record.ifname);
  } catch (err) {
    // the record stays, so that the runtime's DEL releases what is left
    process.stderr.write(`switchyard-cni: undoing a failed ADD: ${(err as Error).message}\n`);
  }
}
