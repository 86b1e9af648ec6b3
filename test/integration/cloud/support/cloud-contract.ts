import { randomUUID } from 'node:crypto';
import {
  CloudErrorCode,
  TAG_DEPLOYMENT,
  isCloudError,
  switchyardTags,
  type CloudAdapter,
  type CloudNetwork,
  type NetworkSpec,
  type SecurityPolicy,
  type SecurityRule,
} from '@switchyard/cloud-adapters';
import type { CloudPeer } from './cloud-peer.js';

const fast = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 400 };

// a /24 `step` places after the fixture network's, for networks the suite makes and deletes
function spareCidr(cidr: string, step: number): string {
  const [a, b, c] = cidr.split('.').map(Number);
  return `${a}.${b}.${((c ?? 0) + step) % 256}.0/24`;
}

async function expectCloudError(promise: Promise<unknown>, code: CloudErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(
    isCloudError(error) ? { code: error.code, hasCloudCode: error.cloudCode.length > 0 } : error,
  ).toEqual({
    code,
    hasCloudCode: true,
  });
}

// vSphere without NSX and Linux hosts have no security groups: a policy's id is synthetic and
// nothing is removed
const hasSecurityGroups = (adapter: CloudAdapter) => !['vsphere', 'linux-host'].includes(adapter.provider);
// a Linux host's nftables (the agent's, in every namespace) holds every rule: nothing is unsupported
const enforcesEveryRule = (adapter: CloudAdapter) => adapter.provider === 'linux-host';
// a Linux host's network is its name: made again, it has the same id
const networkIdIsName = (adapter: CloudAdapter) => adapter.provider === 'linux-host';

// the next host address of a /24 for a peer that takes no create without one (a Linux host)
let nextHost = 20;
function addressIn(p: CloudPeer, cidr: string): { privateIp?: string } {
  if (!p.needsAddresses) return {};
  const [a, b, c] = cidr.split('.');
  return { privateIp: `${a}.${b}.${c}.${nextHost++}` };
}

// a network of the suite's own beside the fixture's, with the fixture's segment (a Linux host needs one)
function spareNetwork(p: CloudPeer, name: string, step: number): NetworkSpec {
  const { segment } = p.fixtures.network;
  return { name, cidr: spareCidr(p.fixtures.network.cidr, step), ...(segment ? { segment } : {}) };
}

const waitOptions = (p: CloudPeer) => ({
  timeoutMs: p.stateTimeoutMs,
  initialDelayMs: 100,
  maxDelayMs: 1_000,
});

/**
 * What every CloudAdapter must do, run unchanged against each real protocol peer.
 * `start` brings the peer up (or attaches to a running one); `describeIfUp` is `describe`, or the
 * skipping one when the peer cannot run here (a `gate` of test/support/skips.ts).
 */
export function describeCloudContract(
  label: string,
  start: () => Promise<CloudPeer | null>,
  describeIfUp: jest.Describe = describe,
): void {
  describeIfUp(`CloudAdapter contract: ${label}`, () => {
    let peer: CloudPeer | null = null;
    let adapter: CloudAdapter;
    let network: CloudNetwork;
    const deployment = `dep-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      peer = await start();
      if (!peer) throw new Error(`${label}: the peer was expected here but did not start`);
      adapter = peer.adapter();
      network = await adapter.ensureNetwork(peer.fixtures.network);
    }, 600_000);

    afterAll(async () => {
      await peer?.stop();
    }, 120_000);

    const it_ = (name: string, body: (p: CloudPeer) => Promise<void>, timeout = 120_000) =>
      it(name, () => body(peer!), timeout);

    it_('accepts good credentials and refuses wrong ones with AuthFailed', async (p) => {
      await expect(adapter.validateCredentials()).resolves.toBeUndefined();
      await p.withWrongCredentials((bad) =>
        expectCloudError(bad.validateCredentials(), CloudErrorCode.AuthFailed),
      );
    });

    it_('lists regions, zones, instance types with sizes, and images', async (p) => {
      expect((await adapter.listRegions()).length).toBeGreaterThan(0);
      expect((await adapter.listZones()).length).toBeGreaterThan(0);
      const types = await adapter.listInstanceTypes();
      const wanted = types.find(
        (t) => t.id === p.fixtures.instanceType || t.name === p.fixtures.instanceType,
      );
      expect(wanted?.cpu).toBeGreaterThan(0);
      expect(wanted?.memoryMiB).toBeGreaterThan(0);
      const images = await adapter.listImages();
      expect(images.some((i) => i.id === p.fixtures.image || i.name === p.fixtures.image)).toBe(true);
    });

    it_('ensures a network idempotently', async (p) => {
      expect(network).toMatchObject({ name: p.fixtures.network.name, cidr: p.fixtures.network.cidr });
      expect((await adapter.ensureNetwork(p.fixtures.network)).id).toBe(network.id);
    });

    it_('applies a security policy and reports every rule it cannot express', async () => {
      const allowSsh: SecurityRule = {
        direction: 'ingress',
        action: 'allow',
        protocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        cidr: '10.0.0.0/8',
      };
      const denyDb: SecurityRule = { direction: 'ingress', action: 'deny', protocol: 'tcp', fromPort: 5432 };
      const policy = { name: `sy-${deployment}-web`, network: network.id, rules: [allowSsh, denyDb] };
      const first = await adapter.applySecurityPolicy(policy);
      if (enforcesEveryRule(adapter)) {
        expect(first).toMatchObject({ applied: [allowSsh, denyDb], unsupported: [] });
      } else {
        expect(first.unsupported.map((u) => u.rule)).toContainEqual(denyDb);
      }
      // nothing is dropped silently: each rule is applied or reported
      expect(first.applied.length + first.unsupported.length).toBe(2);
      const again = await adapter.applySecurityPolicy(policy);
      expect(again).toEqual(first);
      // shared peers have small quotas (Neutron: 10 groups a project)
      await adapter.deleteSecurityPolicy(first.id);
    });

    it_('deletes a network, and deleting it again succeeds', async (p) => {
      const spec = spareNetwork(p, `sy-${deployment}-gone`, 1);
      const made = await adapter.ensureNetwork(spec);
      await adapter.deleteNetwork(made.id);
      await expect(adapter.deleteNetwork(made.id)).resolves.toBeUndefined();
      // gone from the cloud: its name finds nothing, so ensureNetwork makes a new one
      const remade = await adapter.ensureNetwork(spec);
      if (!networkIdIsName(adapter)) expect(remade.id).not.toBe(made.id);
      await adapter.deleteNetwork(remade.id);
    });

    it_('deletes a security policy, and deleting it again succeeds', async () => {
      const policy: SecurityPolicy = {
        name: `sy-${deployment}-gone`,
        network: network.id,
        rules: [{ direction: 'ingress', action: 'allow', protocol: 'tcp', fromPort: 80, toPort: 80 }],
      };
      const first = await adapter.applySecurityPolicy(policy);
      await adapter.deleteSecurityPolicy(first.id);
      await expect(adapter.deleteSecurityPolicy(first.id)).resolves.toBeUndefined();
      const again = await adapter.applySecurityPolicy(policy);
      if (hasSecurityGroups(adapter)) {
        // gone from the cloud: applying the policy again makes a new group
        expect(again.id).not.toBe(first.id);
      } else {
        expect(again).toEqual(first);
      }
      await adapter.deleteSecurityPolicy(again.id);
    });

    it_('reports an unknown instance as NotFound', async (p) => {
      await expectCloudError(adapter.describeInstance(p.fixtures.unknownInstanceId), CloudErrorCode.NotFound);
    });

    it_(
      'runs an instance through its whole lifecycle, found by its tags',
      async (p) => {
        const tags = switchyardTags(deployment, 'web', 0);
        const group = await adapter.applySecurityPolicy({
          name: `sy-${deployment}-lifecycle`,
          network: network.id,
          rules: [{ direction: 'ingress', action: 'allow', protocol: 'tcp', fromPort: 443, toPort: 443 }],
        });
        const created = await adapter.createInstance({
          idempotencyKey: `${deployment}-web-0`,
          name: `${deployment}-web-0`,
          instanceType: p.fixtures.instanceType,
          image: p.fixtures.image,
          network: network.id,
          privateIp: p.fixtures.privateIp,
          userData: '#cloud-config\n{}\n',
          securityGroups: [group.id],
          tags,
        });
        const wait = { timeoutMs: p.stateTimeoutMs, initialDelayMs: 100, maxDelayMs: 1_000 };
        const running = await adapter.waitForState(created.id, 'running', wait);
        expect(running).toMatchObject({ id: created.id, tags: expect.objectContaining(tags) });
        const found = await adapter.describeInstances(tags);
        expect(found.map((i) => i.id)).toEqual([created.id]);
        expect(found[0]?.privateIp).toBe(p.fixtures.privateIp);

        await adapter.stopInstance(created.id);
        await adapter.waitForState(created.id, 'stopped', wait);
        await adapter.startInstance(created.id);
        await adapter.waitForState(created.id, 'running', wait);
        await adapter.rebootInstance(created.id);
        await adapter.waitForState(created.id, 'running', wait);

        await adapter.terminateInstance(created.id);
        await adapter.waitForState(created.id, 'terminated', wait);
        expect(await adapter.describeInstances(tags)).toEqual([]);
        await expect(adapter.terminateInstance(created.id)).resolves.toBeUndefined();
        // a terminated instance no longer holds its group
        await adapter.deleteSecurityPolicy(group.id);
      },
      300_000,
    );

    it_('returns the same instance for a repeated idempotency key', async (p) => {
      const tags = switchyardTags(deployment, 'db', 0);
      const request = {
        idempotencyKey: `${deployment}-db-0`,
        name: `${deployment}-db-0`,
        instanceType: p.fixtures.instanceType,
        image: p.fixtures.image,
        network: network.id,
        ...addressIn(p, p.fixtures.network.cidr),
        tags,
      };
      const first = await adapter.createInstance(request);
      const second = await adapter.createInstance(request);
      expect(second.id).toBe(first.id);
      expect((await adapter.describeInstances(tags)).map((i) => i.id)).toEqual([first.id]);
      await adapter.terminateInstance(first.id);
    });

    it_(
      'refuses to delete a network or group an instance holds (InUse), and deletes both once it is gone',
      async (p) => {
        const spec = spareNetwork(p, `sy-${deployment}-busy`, 2);
        const busy = await adapter.ensureNetwork(spec);
        const policy: SecurityPolicy = {
          name: `sy-${deployment}-busy`,
          network: busy.id,
          rules: [{ direction: 'ingress', action: 'allow', protocol: 'tcp', fromPort: 22, toPort: 22 }],
        };
        const group = await adapter.applySecurityPolicy(policy);
        const vm = await adapter.createInstance({
          idempotencyKey: `${deployment}-busy-0`,
          name: `${deployment}-busy-0`,
          instanceType: p.fixtures.instanceType,
          image: p.fixtures.image,
          network: busy.id,
          ...addressIn(p, spec.cidr),
          securityGroups: [group.id],
          tags: switchyardTags(deployment, 'busy', 0),
        });
        try {
          await adapter.waitForState(vm.id, 'running', waitOptions(p));
          await expectCloudError(adapter.deleteNetwork(busy.id), CloudErrorCode.InUse);
          if (hasSecurityGroups(adapter)) {
            await expectCloudError(adapter.deleteSecurityPolicy(group.id), CloudErrorCode.InUse);
          }
          // refused means untouched: the same network and group are still there
          expect((await adapter.ensureNetwork(spec)).id).toBe(busy.id);
          expect((await adapter.applySecurityPolicy(policy)).id).toBe(group.id);
        } finally {
          await adapter.terminateInstance(vm.id);
        }
        await adapter.waitForState(vm.id, 'terminated', waitOptions(p));
        await adapter.deleteSecurityPolicy(group.id);
        await adapter.deleteNetwork(busy.id);
        const remade = await adapter.ensureNetwork(spec);
        if (!networkIdIsName(adapter)) expect(remade.id).not.toBe(busy.id);
        await adapter.deleteNetwork(remade.id);
      },
      300_000,
    );

    it_(
      "lists every live instance tagged as Switchyard's, whatever the deployment, and no other",
      async (p) => {
        // a deployment value no one asks for: the adapter must find it by the tag key alone
        const stranger = `orphan-${randomUUID().slice(0, 8)}`;
        const base = { instanceType: p.fixtures.instanceType, image: p.fixtures.image, network: network.id };
        const create = (key: string, tags: Record<string, string>) =>
          adapter.createInstance({
            ...base,
            ...addressIn(p, p.fixtures.network.cidr),
            idempotencyKey: key,
            name: key,
            tags,
          });
        const tagged = await create(`${stranger}-web-0`, switchyardTags(stranger, 'web', 0));
        const untagged = await create(`${deployment}-plain-0`, { purpose: 'not-switchyard' });
        const ended = await create(`${stranger}-web-1`, switchyardTags(stranger, 'web', 1));
        try {
          await adapter.terminateInstance(ended.id);
          await adapter.waitForState(ended.id, 'terminated', waitOptions(p));
          const managed = await adapter.listManagedInstances();
          const ids = managed.map((i) => i.id);
          expect(ids).toContain(tagged.id);
          expect(ids).not.toContain(untagged.id);
          expect(ids).not.toContain(ended.id);
          expect(managed.find((i) => i.id === tagged.id)?.tags).toMatchObject(
            switchyardTags(stranger, 'web', 0),
          );
          // whatever else the cloud holds (shared peers): only tagged, live instances come back
          expect(managed.filter((i) => !(TAG_DEPLOYMENT in i.tags) || i.state === 'terminated')).toEqual([]);
        } finally {
          await adapter.terminateInstance(tagged.id);
          await adapter.terminateInstance(untagged.id);
        }
      },
      300_000,
    );

    describe('through a fault-injecting proxy', () => {
      it_('retries throttling answers with growing pauses', async (p) => {
        // full jitter makes one pause anything from 0 to its ceiling (25, 50, 100, 200 ms here), so
        // the growth shows in the mean of many: the fourth pause is about 8 times the first
        const growing = { maxAttempts: 5, baseDelayMs: 25, maxDelayMs: 400 };
        const { adapter: proxied, proxy } = await p.adapterThroughProxy({ retry: growing });
        const first: number[] = [];
        const fourth: number[] = [];
        try {
          await proxied.validateCredentials();
          for (let round = 0; round < 12; round++) {
            proxy.clear();
            proxy.inject(p.throttleFault, 4);
            await expect(proxied.listImages()).resolves.not.toHaveLength(0);
            const faulted = proxy.faulted('status');
            expect(faulted).toHaveLength(4);
            const answered = proxy.requests.find((r) => r.fault === undefined && r.at >= faulted[3]!.at);
            first.push(faulted[1]!.at - faulted[0]!.at);
            fourth.push(answered!.at - faulted[3]!.at);
          }
        } finally {
          await proxy.close();
        }
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        // pauses that did not grow (or none at all) fail this but for a few in a hundred runs;
        // growing ones pass it but for under one in a thousand
        expect(mean(fourth)).toBeGreaterThan(3 * mean(first));
      });

      it_('gives up with Throttled once its attempts are spent', async (p) => {
        const { adapter: proxied, proxy } = await p.adapterThroughProxy({ retry: fast });
        try {
          await proxied.validateCredentials();
          proxy.inject(p.throttleFault, 100);
          await expectCloudError(proxied.listImages(), CloudErrorCode.Throttled);
          expect(proxy.faulted('status')).toHaveLength(fast.maxAttempts);
        } finally {
          await proxy.close();
        }
      });

      it_('retries 503 and a hung request that times out', async (p) => {
        const { adapter: proxied, proxy } = await p.adapterThroughProxy({
          retry: fast,
          requestTimeoutMs: 3_000,
        });
        try {
          await proxied.validateCredentials();
          proxy.inject({ kind: 'status', status: 503, body: 'Service Unavailable' });
          proxy.inject({ kind: 'hang' });
          await expect(proxied.listRegions()).resolves.not.toHaveLength(0);
          expect(proxy.faulted().map((r) => r.fault)).toEqual(['status', 'hang']);
        } finally {
          await proxy.close();
        }
      });

      it_('ensures a network once when the answer to its create was lost', async (p) => {
        const spec = spareNetwork(p, `sy-${deployment}-lost`, 3);
        const { adapter: proxied, proxy } = await p.adapterThroughProxy({
          retry: fast,
          requestTimeoutMs: 20_000,
        });
        try {
          proxy.inject({ kind: 'drop-response' }, 1, (r) => p.isNetworkCreateRequest(r));
          const made = await proxied.ensureNetwork(spec);
          expect(proxy.faulted('drop-response')).toHaveLength(1);
          expect(made).toMatchObject({ name: spec.name, cidr: spec.cidr });
          expect((await adapter.ensureNetwork(spec)).id).toBe(made.id);
          await adapter.deleteNetwork(made.id);
        } finally {
          await proxy.close();
        }
      });

      it_(
        'applies a policy naming one rule twice, and again after the answer to adding rules was lost',
        async (p) => {
          const isRuleRequest = p.isRuleRequest;
          if (!isRuleRequest) {
            // no security groups: every rule is reported, nothing is sent
            expect(hasSecurityGroups(adapter)).toBe(false);
            return;
          }
          // two tiers allowing the database port from one subnet compile to two identical rules
          const toDb: SecurityRule = {
            direction: 'ingress',
            action: 'allow',
            protocol: 'tcp',
            fromPort: 5432,
            toPort: 5432,
            cidr: p.fixtures.network.cidr,
          };
          const ssh: SecurityRule = { ...toDb, fromPort: 22, toPort: 22 };
          const policy = {
            name: `sy-${deployment}-twice`,
            network: network.id,
            rules: [toDb, ssh, { ...toDb }],
          };
          const { adapter: proxied, proxy } = await p.adapterThroughProxy({
            retry: fast,
            requestTimeoutMs: 20_000,
          });
          try {
            // the cloud adds the rules, the answer never comes: the retry finds them there
            proxy.inject({ kind: 'drop-response' }, 1, (r) => isRuleRequest(r));
            const first = await proxied.applySecurityPolicy(policy);
            expect(proxy.faulted('drop-response')).toHaveLength(1);
            expect(first.unsupported).toEqual([]);
            proxy.clear();
            const again = await proxied.applySecurityPolicy(policy);
            expect(again).toEqual(first);
            // every wanted rule is in the group: nothing is left to add
            expect(proxy.requests.filter((r) => isRuleRequest(r))).toEqual([]);
            await adapter.deleteSecurityPolicy(first.id);
          } finally {
            await proxy.close();
          }
        },
      );

      it_('creates exactly one instance when the create response is lost and retried', async (p) => {
        const { adapter: proxied, proxy } = await p.adapterThroughProxy({
          retry: fast,
          requestTimeoutMs: 20_000,
        });
        try {
          const tags = switchyardTags(deployment, 'app', 0);
          proxy.inject({ kind: 'drop-response' }, 1, (r) => p.isCreateRequest(r));
          const created = await proxied.createInstance({
            idempotencyKey: `${deployment}-app-0`,
            name: `${deployment}-app-0`,
            instanceType: p.fixtures.instanceType,
            image: p.fixtures.image,
            network: network.id,
            ...addressIn(p, p.fixtures.network.cidr),
            tags,
          });
          expect(proxy.faulted('drop-response')).toHaveLength(1);
          expect((await adapter.describeInstances(tags)).map((i) => i.id)).toEqual([created.id]);
          await adapter.terminateInstance(created.id);
        } finally {
          await proxy.close();
        }
      });
    });
  });
}
