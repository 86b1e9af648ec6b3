import { createHash } from 'node:crypto';
import type { FabricNetwork } from './switchyard-client.js';

// Names derived from an attachment or a network, the same on every call, so that a repeated ADD,
// a DEL after a crash, and GC all find what an earlier call made.

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The fabric endpoint of (container id, interface name): readable when short enough, else a digest. */
export function endpointIdFor(containerId: string, ifname: string): string {
  const plain = `cni-${containerId}-${ifname}`;
  return plain.length <= 200 ? plain : `cni-${digest(`${containerId}\0${ifname}`)}`;
}

/** The host end of the attachment's veth: the prefix, `c`, ten hex digits (at most 15 bytes). */
export function hostIfnameFor(prefix: string, containerId: string, ifname: string): string {
  return `${prefix}c${digest(`${containerId}\0${ifname}`).slice(0, 10)}`;
}

/**
 * The network's bridge on this host. Named from the network's encap and tag, so that everything
 * attached to one fabric network on a host (CNI containers, Linux-host instances) shares its L2.
 */
export function bridgeNameFor(prefix: string, network: FabricNetwork): string {
  return `${prefix}b${network.encap === 'vxlan' ? 'x' : 'v'}${network.tag}`;
}

/** The VXLAN device of a vxlan network on this host. */
export function vxlanNameFor(prefix: string, network: FabricNetwork): string {
  return `${prefix}vx${network.tag}`;
}

/** The nftables table a ruleset's text defines (`table inet NAME`). */
export function rulesetTable(text: string): string | undefined {
  return /^\s*table\s+inet\s+([A-Za-z][A-Za-z0-9_]*)/m.exec(text)?.[1];
}
