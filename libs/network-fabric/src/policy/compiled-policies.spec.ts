import { CompiledPolicies, FABRIC_CHANGED, TENANTS_CHANGED } from './compiled-policies.js';
import type { PolicyState } from './policy.types.js';

type Listener = { notice(payload: string): void; hearing(hearing: boolean): void };

/** Notices a test sends by hand, on the channels the cache subscribed to. */
class FakeNotices {
  readonly listeners = new Map<string, Listener>();
  subscribe(channel: string, listener: Listener): void {
    if (this.listeners.has(channel)) throw new Error(`${channel} subscribed twice`);
    this.listeners.set(channel, listener);
    listener.hearing(false);
  }
  on(channel: string): Listener {
    const l = this.listeners.get(channel);
    if (!l) throw new Error(`nobody listens on ${channel}`);
    return l;
  }
}

const EMPTY: PolicyState = { groups: [], networks: [], rules: [], endpoints: [] };

function setup() {
  const notices = new FakeNotices();
  const ids = new Map([['acme', 'id-1']]);
  const calls = { idOf: 0, load: [] as string[] };
  const policies = new CompiledPolicies(
    (tenantId) => {
      calls.load.push(tenantId);
      return Promise.resolve(EMPTY);
    },
    notices,
    1_000,
    (name) => {
      calls.idOf++;
      const id = ids.get(name);
      return id ? Promise.resolve(id) : Promise.reject(new Error(`tenant "${name}" does not exist`));
    },
  );
  const hear = () => {
    notices.on(FABRIC_CHANGED).hearing(true);
    notices.on(TENANTS_CHANGED).hearing(true);
  };
  return { notices, ids, calls, policies, hear };
}

describe('CompiledPolicies by tenant name', () => {
  it('answers undefined until both the fabric and the tenants channel are heard', () => {
    const { notices, policies } = setup();
    expect(policies.byName('acme')).toBeUndefined();
    notices.on(FABRIC_CHANGED).hearing(true);
    expect(policies.byName('acme')).toBeUndefined();
    notices.on(TENANTS_CHANGED).hearing(true);
    expect(policies.byName('acme')).toBeDefined();
    notices.on(FABRIC_CHANGED).hearing(false);
    expect(policies.byName('acme')).toBeUndefined();
  });

  it('looks a tenant up and loads its policy once, then answers from memory', async () => {
    const { calls, policies, hear } = setup();
    hear();
    const first = await policies.byName('acme');
    const second = await policies.byName('acme');
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(calls).toEqual({ idOf: 1, load: ['id-1'] });
  });

  it("forgets the tenants' ids when a tenant is renamed or deleted, not when a user or token changes", async () => {
    const { notices, ids, calls, policies, hear } = setup();
    hear();
    await policies.byName('acme');
    notices.on(TENANTS_CHANGED).notice('users');
    notices.on(TENANTS_CHANGED).notice('api_tokens');
    await policies.byName('acme');
    expect(calls.idOf).toBe(1);
    ids.delete('acme');
    notices.on(TENANTS_CHANGED).notice('tenants');
    await expect(policies.byName('acme')).rejects.toThrow('tenant "acme" does not exist');
    ids.set('acme', 'id-2');
    await policies.byName('acme');
    expect(calls.load).toEqual(['id-1', 'id-2']);
  });

  it('does not keep a tenant that does not exist', async () => {
    const { ids, calls, policies, hear } = setup();
    hear();
    await expect(policies.byName('later')).rejects.toThrow('does not exist');
    ids.set('later', 'id-9');
    await expect(policies.byName('later')).resolves.toBeDefined();
    expect(calls.idOf).toBe(2);
  });

  it("reloads a tenant's policy on its fabric notice, and everything on a local change", async () => {
    const { notices, calls, policies, hear } = setup();
    hear();
    await policies.byName('acme');
    notices.on(FABRIC_CHANGED).notice('id-other');
    await policies.byName('acme');
    expect(calls.load).toEqual(['id-1']);
    notices.on(FABRIC_CHANGED).notice('id-1');
    await policies.byName('acme');
    expect(calls).toEqual({ idOf: 1, load: ['id-1', 'id-1'] });
    policies.changed('');
    await policies.byName('acme');
    expect(calls).toEqual({ idOf: 2, load: ['id-1', 'id-1', 'id-1'] });
  });

  it('forgets ids while the tenants channel is not heard', async () => {
    const { notices, calls, policies, hear } = setup();
    hear();
    await policies.byName('acme');
    notices.on(TENANTS_CHANGED).hearing(false);
    notices.on(TENANTS_CHANGED).hearing(true);
    await policies.byName('acme');
    expect(calls.idOf).toBe(2);
  });
});
