/** The ADD result (CNI spec 1.1.0, section 5 "ADD Success"). */
export interface CniResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; mtu?: number; sandbox?: string }[];
  ips?: { address: string; gateway?: string; interface?: number }[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

/** What one attachment made: the host and container ends of its veth, its address and gateway. */
export interface Wired {
  hostIfname: string;
  hostMac: string;
  ifname: string;
  mac: string;
  netns: string;
  /** `a.b.c.d/len` */
  address: string;
  gateway: string;
  mtu?: number;
}

/**
 * The result of this attachment, appended to `prev` when the plugin is not first in its chain
 * (the interface indexes of its addresses shifted past the interfaces already there).
 */
export function attachmentResult(
  cniVersion: string,
  w: Wired,
  dns: Record<string, unknown> | undefined,
  prev?: CniResult,
): CniResult {
  const before = prev?.interfaces ?? [];
  const mtu = w.mtu === undefined ? {} : { mtu: w.mtu };
  const interfaces = [
    ...before,
    { name: w.hostIfname, mac: w.hostMac, ...mtu },
    { name: w.ifname, mac: w.mac, ...mtu, sandbox: w.netns },
  ];
  const gateway = w.gateway ? { gateway: w.gateway } : {};
  return {
    cniVersion,
    interfaces,
    ips: [...(prev?.ips ?? []), { address: w.address, ...gateway, interface: before.length + 1 }],
    routes: [...(prev?.routes ?? []), ...(w.gateway ? [{ dst: '0.0.0.0/0', gw: w.gateway }] : [])],
    dns: { ...(prev?.dns ?? {}), ...(dns ?? {}) },
  };
}

/** The container interface and address a result lists for `ifname` in `netns`, if it does. */
export function containerSide(
  result: CniResult,
  ifname: string,
  netns: string,
): { mac?: string; addresses: string[] } | undefined {
  const index = (result.interfaces ?? []).findIndex((i) => i.name === ifname && i.sandbox === netns);
  if (index < 0) return undefined;
  const addresses = (result.ips ?? []).filter((ip) => ip.interface === index).map((ip) => ip.address);
  const mac = result.interfaces?.[index]?.mac;
  return { ...(mac ? { mac } : {}), addresses };
}
