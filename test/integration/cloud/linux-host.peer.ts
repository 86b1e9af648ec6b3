import { LinuxHostAdapter, type CloudNetwork, type NetworkSpec } from '@switchyard/cloud-adapters';
import { kernelLeftovers, startHostAgent, type HostAgent } from '../../support/host-agent.js';
import type { CloudPeer } from './support/cloud-peer.js';
import { FaultProxy } from './support/fault-proxy.js';

/** The Linux-host peer: the real host agent (apps/agent) as a child process with its own prefix. */
export interface LinuxHostPeer extends CloudPeer {
  agent: HostAgent;
  /** What the kernel still holds with the agent's prefix. */
  leftovers(): Promise<string[]>;
}

/** Records every network it ensures, so that the peer removes them all when it stops. */
class TrackedAdapter extends LinuxHostAdapter {
  constructor(
    options: ConstructorParameters<typeof LinuxHostAdapter>[0],
    private readonly networks: Set<string>,
  ) {
    super(options);
  }

  override async ensureNetwork(spec: NetworkSpec): Promise<CloudNetwork> {
    this.networks.add(spec.name);
    return super.ensureNetwork(spec);
  }
}

/** Starts a host agent for this file; its networks sit in a /24 derived from the PID. */
export async function startLinuxHost(): Promise<LinuxHostPeer> {
  const agent = await startHostAgent('c');
  const networks = new Set<string>();
  const make = (options: ConstructorParameters<typeof LinuxHostAdapter>[0]) =>
    new TrackedAdapter(options, networks);
  const probe = agent.adapter();
  const types = await probe.listInstanceTypes();
  const smallest = [...types].sort((a, b) => a.cpu - b.cpu || a.memoryMiB - b.memoryMiB)[0];
  // a block of the host's address space no other test file of this run takes (the third octet by PID)
  const third = process.pid % 250;
  const cidr = `10.241.${third}.0/24`;
  const options = (url: string, token = agent.token) => ({ agentUrl: url, token, requestTimeoutMs: 60_000 });
  return {
    name: 'host agent',
    endpoint: agent.url,
    agent,
    adapter: (tuning) => make({ ...options(agent.url), ...tuning }),
    async adapterThroughProxy(tuning) {
      const proxy = await FaultProxy.start({ target: agent.url });
      return { adapter: make({ ...options(proxy.url), ...tuning }), proxy };
    },
    async withWrongCredentials(check) {
      await check(new LinuxHostAdapter(options(agent.url, 'not-the-token-of-this-agent-at-all-0123')));
    },
    throttleFault: {
      kind: 'status',
      status: 429,
      body: JSON.stringify({ error: { code: 'Unavailable', message: 'slow down', details: {} } }),
      headers: { 'content-type': 'application/json' },
    },
    isCreateRequest: (r) => r.method === 'POST' && r.path === '/v1/instances',
    isNetworkCreateRequest: (r) => r.method === 'PUT' && r.path.startsWith('/v1/networks/'),
    fixtures: {
      instanceType: smallest?.id ?? 'lh.quarter',
      image: 'host-root',
      // one host: a VLAN network's tag is only recorded (no uplink), so tags need not be unique
      network: { name: `sy-${agent.prefix}-net`, cidr, segment: { encap: 'vlan', tag: 100 + third } },
      privateIp: `10.241.${third}.10`,
      unknownInstanceId: 'zzzzzz',
    },
    needsAddresses: true,
    stateTimeoutMs: 60_000,
    leftovers: () => kernelLeftovers(agent.prefix),
    // whatever the suite left (a failed test, the fixture network) goes, and then nothing of the
    // agent's may be left in the kernel
    async stop() {
      const all = make(options(agent.url));
      const live = await all.describeInstances({});
      await Promise.all(live.map((i) => all.terminateInstance(i.id)));
      await Promise.all(live.map((i) => all.waitForState(i.id, 'terminated', { timeoutMs: 60_000 })));
      for (const name of networks) await all.deleteNetwork(name);
      const left = await kernelLeftovers(agent.prefix);
      await agent.stop();
      if (left.length > 0) throw new Error(`left in the kernel: ${left.join(', ')}`);
    },
  };
}
