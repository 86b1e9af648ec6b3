import type { PluginConfig } from './cni-config.js';
import { CniCode, CniError } from './cni-error.js';
import type { FabricNetwork } from './switchyard-client.js';

/**
 * The network's bridge from this host's Switchyard agent: `PUT /v1/networks/{name}` with the body
 * the Linux-host adapter sends (the agent answers the same network for the same body, and makes it
 * when missing), so CNI containers and the agent's instances share one bridge and VXLAN device.
 */
export async function agentBridge(
  agent: NonNullable<PluginConfig['agent']>,
  network: FabricNetwork,
): Promise<string> {
  if (!network.gateway) {
    throw new CniError(
      CniCode.InvalidConfig,
      'invalid network configuration',
      'agent: the fabric network has no gateway, which the host agent needs',
    );
  }
  let res: Response;
  try {
    res = await fetch(`${agent.url}/v1/networks/${encodeURIComponent(agent.network)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        cidr: network.cidr,
        gateway: network.gateway,
        encap: network.encap,
        tag: network.tag,
      }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new CniError(CniCode.TryAgainLater, 'the host agent did not answer', `${agent.url}: ${cause}`);
  }
  const text = await res.text();
  const body = (() => {
    try {
      return JSON.parse(text) as { bridge?: string; error?: { code?: string; message?: string } };
    } catch {
      return {};
    }
  })();
  if (res.ok && typeof body.bridge === 'string') return body.bridge;
  const said = `PUT /v1/networks/${agent.network}: ${res.status} ${body.error?.message ?? text.slice(0, 200)}`;
  if (res.status === 401) throw new CniError(CniCode.Unauthorized, 'the host agent refused the token', said);
  if (res.status >= 500) throw new CniError(CniCode.TryAgainLater, 'the host agent is unavailable', said);
  throw new CniError(CniCode.FabricRefused, 'the host agent refused the network', said);
}
