import { CloudErrorCode, switchyardTags } from '@switchyard/cloud-adapters';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hostAgentAvailability, namespaceOf } from '../../support/host-agent.js';
import { gate } from '../../support/skips.js';
import { describeCloudContract } from './support/cloud-contract.js';
import { startLinuxHost, type LinuxHostPeer } from './linux-host.peer.js';

// the real host agent (apps/agent) as a child process: root on Linux, iproute2 and nftables
const withAgent = gate(hostAgentAvailability());
const run = promisify(execFile);

describeCloudContract('Linux host (the real host agent)', startLinuxHost, withAgent.describe);

withAgent.describe('Linux-host adapter beyond the contract (the real host agent)', () => {
  let peer: LinuxHostPeer;
  beforeAll(async () => {
    peer = await startLinuxHost();
  }, 60_000);
  // stop() removes what is left, then fails if anything with the agent's prefix stays in the kernel
  afterAll(() => peer?.stop(), 120_000);

  it('builds a VXLAN network with the fabric’s tag, and refuses another body for its name', async () => {
    const adapter = peer.adapter();
    const third = process.pid % 250;
    const spec = {
      name: `sy-${peer.agent.prefix}-vx`,
      cidr: `10.242.${third}.0/24`,
      gateway: `10.242.${third}.254`,
      segment: { encap: 'vxlan' as const, tag: 70_000 + third },
    };
    const made = await adapter.ensureNetwork(spec);
    try {
      expect(made).toEqual({ id: spec.name, name: spec.name, cidr: spec.cidr });
      expect((await adapter.ensureNetwork(spec)).id).toBe(made.id);
      await expect(
        adapter.ensureNetwork({ ...spec, segment: { encap: 'vxlan', tag: 70_001 + third } }),
      ).rejects.toMatchObject({ code: CloudErrorCode.InvalidRequest, cloudCode: 'Conflict' });
      // a network without the fabric's segment cannot be built, and says why
      await expect(adapter.ensureNetwork({ name: `${spec.name}x`, cidr: spec.cidr })).rejects.toMatchObject({
        code: CloudErrorCode.InvalidRequest,
        cloudCode: 'NetworkWithoutSegment',
      });
    } finally {
      await adapter.deleteNetwork(made.id);
    }
  });

  it('loads a ruleset into a running instance, and refuses one nft cannot load', async () => {
    const adapter = peer.agent.adapter();
    const network = await adapter.ensureNetwork(peer.fixtures.network);
    const vm = await adapter.createInstance({
      idempotencyKey: `rules-${peer.agent.prefix}`,
      name: `rules-${peer.agent.prefix}`,
      instanceType: peer.fixtures.instanceType,
      image: peer.fixtures.image,
      network: network.id,
      privateIp: peer.fixtures.privateIp,
      tags: switchyardTags(`rules-${peer.agent.prefix}`, 'web', 0),
    });
    try {
      await adapter.waitForState(vm.id, 'running', { timeoutMs: 60_000 });
      await expect(
        adapter.loadRuleset(
          vm.id,
          [
            'table inet switchyard_t {',
            '  chain input {',
            '    type filter hook input priority 0; policy accept;',
            '    tcp dport 9 drop',
            '  }',
            '}',
            '',
          ].join('\n'),
        ),
      ).resolves.toBeUndefined();
      // in the instance's own namespace, not the host's
      const ns = await namespaceOf(peer.agent.prefix, peer.fixtures.privateIp);
      const listed = await run('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'inet', 'switchyard_t']);
      expect(listed.stdout).toContain('tcp dport 9 drop');
      await expect(run('nft', ['list', 'table', 'inet', 'switchyard_t'])).rejects.toThrow();
      await expect(adapter.loadRuleset(vm.id, 'table inet broken {')).rejects.toMatchObject({
        code: CloudErrorCode.InvalidRequest,
      });
    } finally {
      await adapter.terminateInstance(vm.id);
      await adapter.waitForState(vm.id, 'terminated', { timeoutMs: 60_000 });
      await adapter.deleteNetwork(network.id);
    }
  }, 120_000);
});
