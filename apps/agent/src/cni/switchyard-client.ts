import { CniCode, CniError } from './cni-error.js';

/** A fabric network as the plugin needs it: addressing and tags. */
export interface FabricNetwork {
  /** The subnet as `a.b.c.d/len` (a ranged subnet's block). */
  cidr: string;
  /** The prefix length of the subnet (a ranged subnet's too). */
  prefixLength: number;
  gateway: string;
  encap: 'vlan' | 'vxlan';
  /** The VLAN of a vlan network, the VNI of a vxlan one. */
  tag: number;
}

export interface FabricEndpoint {
  ipv4: string;
  mac: string;
}

const TIMEOUT_MS = 15_000;

/**
 * Switchyard's REST API as the plugin uses it: Contiv's plugin endpoints for addresses and
 * endpoints, the network's inspect for addressing and tags, the tenant's nftables ruleset.
 * Failures become CNI errors: no answer or a 5xx is "try again later" (11).
 */
export class SwitchyardClient {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async network(tenant: string, network: string): Promise<FabricNetwork> {
    const key = encodeURIComponent(`${tenant}:${network}`);
    const body = (await this.json('GET', `/netmaster/api/v1/inspect/networks/${key}/`)) as {
      Config?: { subnet?: string; gateway?: string; encap?: string };
      Oper?: { pktTag?: number; externalPktTag?: number };
    };
    const subnet = body.Config?.subnet ?? '';
    const prefixLength = Number(subnet.split('/')[1]);
    const encap = body.Config?.encap === 'vxlan' ? 'vxlan' : 'vlan';
    const tag = encap === 'vxlan' ? body.Oper?.externalPktTag : body.Oper?.pktTag;
    if (!Number.isInteger(prefixLength) || typeof tag !== 'number') {
      throw new CniError(CniCode.FabricRefused, 'unexpected network answer', `network ${tenant}:${network}`);
    }
    return {
      cidr: blockOf(subnet, prefixLength),
      prefixLength,
      gateway: body.Config?.gateway ?? '',
      encap,
      tag,
    };
  }

  /** Attaches (or finds, when it exists) the endpoint; its address comes from the fabric's IPAM. */
  async createEndpoint(req: {
    tenant: string;
    network: string;
    group: string;
    endpointId: string;
    containerId: string;
    host: string;
    ifname: string;
  }): Promise<FabricEndpoint> {
    const body = (await this.json('POST', '/netmaster/plugin/createEndpoint', {
      TenantName: req.tenant,
      NetworkName: req.network,
      ServiceName: req.group,
      EndpointID: req.endpointId,
      ContainerID: req.containerId,
      HomingHost: req.host,
      IntfName: req.ifname,
    })) as { EndpointConfig?: { ipAddress?: string[]; macAddress?: string } };
    const ipv4 = body.EndpointConfig?.ipAddress?.[0];
    const mac = body.EndpointConfig?.macAddress;
    if (!ipv4 || !mac) throw new CniError(CniCode.FabricRefused, 'unexpected createEndpoint answer');
    return { ipv4, mac };
  }

  /** Detaches the endpoint and frees its address; one that is already gone is fine. */
  async deleteEndpoint(tenant: string, endpointId: string): Promise<void> {
    try {
      await this.json('POST', '/netmaster/plugin/deleteEndpoint', {
        TenantName: tenant,
        EndpointID: endpointId,
      });
    } catch (err) {
      if (err instanceof CniError && err.code === CniCode.NotFoundInFabric) return;
      throw err;
    }
  }

  /** Whether the fabric still holds the endpoint (and so its address). */
  async endpointExists(tenant: string, endpointId: string): Promise<boolean> {
    const path = `/netmaster/api/v1/inspect/endpoints/${encodeURIComponent(endpointId)}?tenant=${encodeURIComponent(tenant)}`;
    try {
      await this.json('GET', path);
      return true;
    } catch (err) {
      if (err instanceof CniError && err.code === CniCode.NotFoundInFabric) return false;
      throw err;
    }
  }

  /** The tenant's nftables ruleset; undefined when it has not changed since `etag`. */
  async ruleset(tenant: string, etag?: string): Promise<{ text: string; etag: string } | undefined> {
    const headers: Record<string, string> = { accept: 'text/plain' };
    if (etag) headers['if-none-match'] = etag;
    const res = await this.send('GET', `/api/v1/fabric/rulesets/${encodeURIComponent(tenant)}`, headers);
    if (res.status === 304) return undefined;
    const text = await res.text();
    if (!res.ok) throw failure(res.status, text, 'ruleset');
    return { text, etag: res.headers.get('etag') ?? '' };
  }

  private async json(method: string, path: string, body?: object): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    const res = await this.send(method, path, headers, body ? JSON.stringify(body) : undefined);
    const text = await res.text();
    if (!res.ok) throw failure(res.status, text, `${method} ${path.split('?')[0]}`);
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new CniError(CniCode.FabricRefused, 'Switchyard answered something other than JSON', path);
    }
  }

  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Response> {
    try {
      return await fetch(this.url + path, {
        method,
        headers: { ...headers, authorization: `Bearer ${this.token}` },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new CniError(CniCode.TryAgainLater, 'Switchyard did not answer', `${this.url}: ${cause}`);
    }
  }
}

/** `10.1.1.10-10.1.1.45/24` or `10.1.1.7/24` → `10.1.1.0/24`. */
function blockOf(subnet: string, prefixLength: number): string {
  const first = subnet.split('/')[0]!.split('-')[0]!;
  const value = first.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - prefixLength);
  const base = Math.floor(value / size) * size;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')}/${prefixLength}`;
}

/** An HTTP failure as a CNI error, with the API's message and the fields it names. */
function failure(status: number, text: string, what: string): CniError {
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { message?: string; details?: { path: string; message: string }[] };
    message = [body.message, ...(body.details ?? []).map((d) => `${d.path}: ${d.message}`)]
      .filter(Boolean)
      .join('; ');
  } catch {
    // not JSON: the text itself
  }
  const details = `${what}: ${status} ${message}`;
  if (status === 401 || status === 403)
    return new CniError(CniCode.Unauthorized, 'Switchyard refused the token', details);
  if (status === 404) return new CniError(CniCode.NotFoundInFabric, 'not found in the fabric', details);
  if (status >= 500 || status === 429)
    return new CniError(CniCode.TryAgainLater, 'Switchyard is unavailable', details);
  return new CniError(CniCode.FabricRefused, 'the fabric refused the request', details);
}
