/** The body of `PUT /v1/networks/{name}`, as recorded. */
export interface NetworkSpec {
  cidr: string;
  gateway: string;
  encap: 'vlan' | 'vxlan';
  tag: number;
  remotes: string[];
}

export interface NetworkRecord extends NetworkSpec {
  name: string;
  /** Short id in the kernel objects' names (link names are at most 15 characters). */
  shortId: string;
  bridge: string;
  vxlan?: string;
  /** The inet table in the agent's namespace that keeps instances off the host. */
  hostTable: string;
}

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated' | 'error';

export interface InstanceRecord {
  id: string;
  idempotencyKey: string;
  name: string;
  state: InstanceState;
  instanceType: string;
  image: string;
  privateIp: string;
  network: string;
  tags: Record<string, string>;
  runAsRoot: boolean;
  userData?: string;
  /** The last ruleset PUT for the instance (loaded again if its namespace is made again). */
  ruleset?: string;
  error?: string;
  createdAt: string;
}

/** The instance as the API shows it. */
export function instanceView(r: InstanceRecord) {
  const { id, name, state, instanceType, image, privateIp, network, tags, error } = r;
  return { id, name, state, instanceType, image, privateIp, network, tags, ...(error ? { error } : {}) };
}

export function networkView(r: NetworkRecord) {
  const { name, cidr, gateway, encap, tag, bridge } = r;
  return { name, cidr, gateway, encap, tag, bridge };
}
