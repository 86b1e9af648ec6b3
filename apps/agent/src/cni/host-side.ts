import { CommandError, HostNetwork, hostNames } from '../host-network/index.js';

// What the plugin makes in its own namespace (the runtime's: the host's, usually), through the
// agent's host-network wrappers: the network's bridge (with the gateway's address, as the agent's),
// its VXLAN device, the host ends of containers' veths.

const host = new HostNetwork();

export function hostLinkExists(name: string): Promise<boolean> {
  return host.links.exists(name);
}

/** The bridge, made and brought up when missing; the gateway's address on it when given. */
export async function ensureBridge(name: string, gatewayCidr: string, mtu?: number): Promise<void> {
  if (!(await host.links.exists(name))) {
    await host.links.addBridge(name);
    if (mtu) await host.links.setMtu(name, mtu);
  }
  if (gatewayCidr && !(await host.addresses.listAddresses(name)).includes(gatewayCidr)) {
    await host.addresses.addAddress(name, gatewayCidr);
  }
  await host.links.setUp(name);
}

/** A VXLAN device (VNI, UDP 4789) on the bridge, flooding to every remote VTEP. */
export async function ensureVxlan(
  name: string,
  vni: number,
  local: string,
  bridge: string,
  remotes: readonly string[],
): Promise<void> {
  if (!(await host.links.exists(name))) await host.links.addVxlan({ name, vni, local });
  await host.links.setMaster(name, bridge);
  await host.links.setUp(name);
  for (const remote of remotes) {
    try {
      await host.links.appendFdb(name, '00:00:00:00:00:00', remote);
    } catch (err) {
      // already there from an earlier ADD
      if (!(err instanceof CommandError && /exists/i.test(err.stderr))) throw err;
    }
  }
}

export async function plugIntoBridge(hostIfname: string, bridge: string): Promise<void> {
  await host.links.setMaster(hostIfname, bridge);
  await host.links.setUp(hostIfname);
}

/** Deletes a host link (a veth takes its container end with it); a missing one is fine. */
export function deleteHostLink(name: string): Promise<void> {
  return host.links.delete(name);
}

/** The bridge a host link is plugged into ('' when none or missing). */
export async function masterOf(name: string): Promise<string> {
  return (await host.links.list()).find((l) => l.name === name)?.master ?? '';
}

/** A host link's MAC, as the result lists it. */
export async function hostMac(name: string): Promise<string> {
  const { stdout } = await host.runner.run('ip', ['-j', 'link', 'show', 'dev', hostNames.linkName(name)]);
  return (JSON.parse(stdout || '[]') as { address?: string }[])[0]?.address ?? '';
}
