import type { CloudInstance, InstanceState } from '../adapter/cloud-adapter.js';

// The host agent's answers as its contract (apps/agent) writes them; nothing above the adapter
// sees these types.

export interface AgentHost {
  hostId: string;
  kernel: string;
  cpus: number;
  memoryMiB: number;
  underlayAddress: string;
  instanceTypes: Array<{ id: string; name: string; cpu: number; memoryMiB: number }>;
  images: Array<{ id: string; name: string }>;
}

export interface AgentNetwork {
  name: string;
  cidr: string;
  gateway: string;
  encap: 'vlan' | 'vxlan';
  tag: number;
  bridge: string;
}

export type AgentInstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated' | 'error';

export interface AgentInstance {
  id: string;
  name: string;
  state: AgentInstanceState;
  instanceType: string;
  image: string;
  privateIp: string;
  network: string;
  tags: Record<string, string>;
  error?: string;
}

const STATES: ReadonlySet<InstanceState> = new Set<InstanceState>([
  'pending',
  'running',
  'stopping',
  'stopped',
  'terminated',
  'error',
]);

/** An agent's instance as a CloudInstance; a state the contract does not name counts as error. */
export function toCloudInstance(i: AgentInstance): CloudInstance {
  return {
    id: i.id,
    name: i.name,
    state: STATES.has(i.state) ? i.state : 'error',
    instanceType: i.instanceType,
    image: i.image,
    privateIp: i.privateIp,
    tags: { ...i.tags },
  };
}

/** `?tag=K=V&tag=…` for the agent's instance list. */
export function tagQuery(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `tag=${encodeURIComponent(`${k}=${v}`)}`)
    .join('&');
}

/** The first host address of an IPv4 block (`10.1.2.0/24` → `10.1.2.1`); undefined for other text. */
export function firstHost(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const length = Number(m[5]);
  if (octets.some((o) => o > 255) || length < 1 || length > 30) return undefined;
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - length);
  const host = address - (address % size) + 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(host / 2 ** shift) % 256).join('.');
}
