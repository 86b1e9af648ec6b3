import type { Endpoint } from '@switchyard/network-fabric';

// Contiv's plugin bodies (PascalCase, as Docker's and Contiv's plugins send them) and answers. They
// stop here: the service below turns them into the fabric's typed requests and back.

/** `POST /plugin/allocAddress`. AddressPool is accepted and ignored (the network decides). */
export interface AllocAddressRequest {
  NetworkID: string;
  AddressPool?: string;
  PreferredIPv4Address?: string;
}

export interface AllocAddressResponse {
  NetworkID: string;
  /** `a.b.c.d/len` */
  IPv4Address: string;
}

export interface ReleaseAddressRequest {
  NetworkID: string;
  /** `a.b.c.d` or `a.b.c.d/len` */
  IPv4Address: string;
}

/** `createEndpoint` (flattened; ConfigEP's fields are read too). */
export interface CreateEndpointRequest {
  TenantName?: string;
  NetworkName: string;
  /** The endpoint group; empty for a network-level endpoint. */
  ServiceName?: string;
  EndpointID: string;
  ContainerID?: string;
  HomingHost?: string;
  IntfName?: string;
  /** Preferred IPv4 address. */
  IPAddress?: string;
  ConfigEP?: { Container?: string; Host?: string; IPAddress?: string; ServiceName?: string };
}

export interface DeleteEndpointRequest {
  TenantName?: string;
  NetworkName?: string;
  ServiceName?: string;
  EndpointID: string;
}

/** Contiv's EndpointConfig answer of createEndpoint (camelCase, unlike the requests). */
export interface EndpointConfig {
  endpointID: string;
  tenantName: string;
  networkName: string;
  /** The endpoint group, or '' for a network-level endpoint. */
  serviceName: string;
  ipAddress: string[];
  macAddress: string;
  homingHost: string;
  containerID: string;
  intfName: string;
}

/** The plugin field each typed request field came from, for the paths of errors. */
export const ALLOC_ADDRESS_FIELDS = {
  network: 'NetworkID',
  group: 'NetworkID',
  preferredIPv4: 'PreferredIPv4Address',
};
export const RELEASE_ADDRESS_FIELDS = { network: 'NetworkID', ipv4: 'IPv4Address' };
export const CREATE_ENDPOINT_FIELDS = {
  network: 'NetworkName',
  group: 'ServiceName',
  key: 'EndpointID',
  preferredIPv4: 'IPAddress',
};

export function endpointConfig(e: Endpoint): EndpointConfig {
  return {
    endpointID: e.key,
    tenantName: e.tenantName,
    networkName: e.network,
    serviceName: e.group,
    ipAddress: [e.ipv4, ...(e.ipv6 ? [e.ipv6] : [])],
    macAddress: e.mac,
    homingHost: e.host,
    containerID: e.containerId,
    intfName: e.interfaceName,
  };
}
