import { withUndo, type HostNetwork } from '../host-network/index.js';
import { AgentError, AgentErrorCode } from '../http/agent-error.js';
import type { KeyedLock } from '../state/keyed-lock.js';
import { networkView, type NetworkRecord, type NetworkSpec } from '../state/records.js';
import { newShortId } from '../state/short-id.js';
import type { StateStore } from '../state/state-store.js';
import { hostGuardRuleset } from './host-guard.js';
import { readNetworkBody } from './network-body.js';

const VXLAN_MTU = 1450;

function sameSpec(a: NetworkSpec, b: NetworkSpec): boolean {
  return (
    a.cidr === b.cidr &&
    a.gateway === b.gateway &&
    a.encap === b.encap &&
    a.tag === b.tag &&
    [...a.remotes].sort().join() === [...b.remotes].sort().join()
  );
}

/** Fabric networks on this host: a bridge holding the gateway, and a VXLAN device for vxlan ones. */
export class NetworkService {
  constructor(
    private readonly store: StateStore,
    private readonly host: HostNetwork,
    private readonly locks: KeyedLock,
    private readonly prefix: string,
    private readonly underlay: string,
  ) {}

  async put(name: string, body: unknown) {
    const spec = readNetworkBody(name, body);
    return this.locks.run(`network:${name}`, async () => {
      const existing = this.store.networks.get(name);
      if (existing) {
        if (!sameSpec(existing, spec)) {
          throw new AgentError(AgentErrorCode.Conflict, `network ${name} exists with another definition`);
        }
        return networkView(existing);
      }
      const taken = (id: string) => [...this.store.networks.values()].some((n) => n.shortId === id);
      const shortId = newShortId(taken);
      const record: NetworkRecord = {
        name,
        ...spec,
        shortId,
        bridge: `${this.prefix}b${shortId}`,
        vxlan: spec.encap === 'vxlan' ? `${this.prefix}x${shortId}` : undefined,
        hostTable: `${this.prefix}n${shortId}`,
      };
      await this.build(record);
      await this.store.saveNetwork(record);
      return networkView(record);
    });
  }

  async delete(name: string): Promise<void> {
    await this.locks.run(`network:${name}`, async () => {
      const record = this.store.networks.get(name);
      if (!record) return;
      const attached = [...this.store.instances.values()].filter(
        (i) => i.network === name && i.state !== 'terminated',
      );
      if (attached.length > 0) {
        throw new AgentError(AgentErrorCode.InUse, `network ${name} has instances`, {
          instances: attached.map((i) => i.id),
        });
      }
      await this.teardown(record);
      await this.store.deleteNetwork(name);
    });
  }

  /** Removes the network's kernel objects (each delete tolerates a missing object). */
  async teardown(r: NetworkRecord): Promise<void> {
    await this.host.nft.deleteTable('inet', r.hostTable);
    if (r.vxlan) await this.host.links.delete(r.vxlan);
    await this.host.links.delete(r.bridge);
  }

  private async build(r: NetworkRecord): Promise<void> {
    const { links, addresses, nft } = this.host;
    await withUndo(async (undo) => {
      await links.addBridge(r.bridge);
      undo.add(`bridge ${r.bridge}`, () => links.delete(r.bridge));
      await addresses.addAddress(r.bridge, `${r.gateway}/${r.cidr.split('/')[1]}`);
      await nft.load(hostGuardRuleset(r.hostTable, r.bridge));
      undo.add(`table ${r.hostTable}`, () => nft.deleteTable('inet', r.hostTable));
      if (r.vxlan) {
        await links.addVxlan({ name: r.vxlan, vni: r.tag, local: this.underlay });
        undo.add(`vxlan ${r.vxlan}`, () => links.delete(r.vxlan!));
        await links.setMtu(r.vxlan, VXLAN_MTU);
        await links.setMaster(r.vxlan, r.bridge);
        for (const remote of r.remotes) await links.appendFdb(r.vxlan, '00:00:00:00:00:00', remote);
        await links.setUp(r.vxlan);
      }
      await links.setUp(r.bridge);
    });
  }
}

export { VXLAN_MTU };
