import type { CloudNetwork, NetworkSpec } from '../adapter/cloud-adapter.js';
import { InvalidRequest } from '../adapter/cloud.exception.js';
import type { OpenStackHttp } from './openstack-http.client.js';

interface NeutronNetwork {
  id: string;
  name: string;
  'provider:network_type'?: string | null;
  'provider:segmentation_id'?: number | null;
}

interface NeutronPort {
  id: string;
  name: string;
  status?: string;
  device_id?: string;
  fixed_ips: Array<{ subnet_id: string; ip_address: string }>;
}

// one port per idempotency key: a repeated create finds the port it made before
const PORT_PREFIX = 'sy-';
export const portName = (key: string) => `${PORT_PREFIX}${key}`;

/** Finds the Neutron network and subnet named by the spec, or creates them. */
export async function ensureNeutronNetwork(
  http: OpenStackHttp,
  spec: NetworkSpec,
  vlanPhysicalNetwork: string | undefined,
): Promise<CloudNetwork> {
  const q = encodeURIComponent(spec.name);
  const found = await http.get<{ networks: NeutronNetwork[] }>('network', `/v2.0/networks?name=${q}`);
  let network = found.networks[0];
  if (!network) {
    // a VLAN needs a provider network (admin, and a physical network to carry it)
    const vlan =
      spec.vlan !== undefined && vlanPhysicalNetwork
        ? {
            'provider:network_type': 'vlan',
            'provider:physical_network': vlanPhysicalNetwork,
            'provider:segmentation_id': spec.vlan,
          }
        : {};
    const created = await http.post<{ network: NeutronNetwork }>('network', '/v2.0/networks', {
      network: { name: spec.name, admin_state_up: true, ...vlan },
    });
    network = created.network;
  }
  const subnets = await http.get<{ subnets: Array<{ id: string; cidr: string }> }>(
    'network',
    `/v2.0/subnets?network_id=${network.id}`,
  );
  let subnet = subnets.subnets[0];
  if (subnet && subnet.cidr !== spec.cidr) {
    throw new InvalidRequest({
      provider: 'openstack',
      cloudCode: 'NetworkCidrMismatch',
      cloudMessage: `network ${spec.name} has subnet ${subnet.cidr}, not ${spec.cidr}`,
    });
  }
  if (!subnet) {
    const created = await http.post<{ subnet: { id: string; cidr: string } }>('network', '/v2.0/subnets', {
      subnet: { network_id: network.id, name: spec.name, cidr: spec.cidr, ip_version: 4 },
    });
    subnet = created.subnet;
  }
  // a tenant network's segment is a VXLAN VNI (or a GRE key): only a VLAN network has a VLAN
  const segment = network['provider:segmentation_id'];
  const isVlan = network['provider:network_type'] === 'vlan';
  return {
    id: network.id,
    name: spec.name,
    cidr: subnet.cidr,
    ...(isVlan && typeof segment === 'number' ? { vlan: segment } : {}),
  };
}

export interface PortRequest {
  name: string;
  network: string;
  privateIp?: string;
  securityGroups?: string[];
}

/**
 * The instance's Neutron port, found by name or created with its fixed address and security
 * groups. Creating it before the server makes an address conflict a synchronous 409 here rather
 * than a server in ERROR later.
 */
export async function ensurePort(http: OpenStackHttp, request: PortRequest): Promise<NeutronPort> {
  const q = `name=${encodeURIComponent(request.name)}&network_id=${request.network}`;
  const found = await http.get<{ ports: NeutronPort[] }>('network', `/v2.0/ports?${q}`);
  const existing = found.ports[0];
  if (existing) return existing;
  const created = await http.post<{ port: NeutronPort }>('network', '/v2.0/ports', {
    port: {
      name: request.name,
      network_id: request.network,
      ...(request.privateIp ? { fixed_ips: [{ ip_address: request.privateIp }] } : {}),
      ...(request.securityGroups?.length ? { security_groups: request.securityGroups } : {}),
    },
  });
  return created.port;
}

/** Deletes the ports Switchyard made for a server (Nova leaves ports it did not create). */
export async function deletePorts(http: OpenStackHttp, name: string): Promise<void> {
  const found = await http.get<{ ports: NeutronPort[] }>(
    'network',
    `/v2.0/ports?name=${encodeURIComponent(name)}`,
  );
  for (const port of found.ports) await http.delete('network', `/v2.0/ports/${port.id}`);
}

/**
 * Deletes the network; Neutron takes its subnets (and DHCP ports) along. Ports Switchyard made for
 * instances that never started or are gone (DOWN, bound to nothing, named by no server) go first;
 * a port that still serves an instance stays, and Neutron answers NetworkInUse. A gone network
 * counts as deleted.
 */
export async function deleteNeutronNetwork(
  http: OpenStackHttp,
  id: string,
  portsOfServers: () => Promise<ReadonlySet<string>>,
): Promise<void> {
  const found = await http.get<{ ports: NeutronPort[] }>(
    'network',
    `/v2.0/ports?network_id=${encodeURIComponent(id)}`,
  );
  const unbound = found.ports.filter(
    (p) => p.name.startsWith(PORT_PREFIX) && p.status === 'DOWN' && !p.device_id,
  );
  // a server just created may not have bound its port yet: its metadata names the port
  const named = unbound.length > 0 ? await portsOfServers() : new Set<string>();
  for (const port of unbound) {
    if (!named.has(port.name)) await http.delete('network', `/v2.0/ports/${port.id}`);
  }
  await http.delete('network', `/v2.0/networks/${encodeURIComponent(id)}`);
}
