import type { ExpandedBlueprint, ExpandedTier } from '../blueprint.types.js';
import { planDeployment } from './plan-deployment.util.js';
import type { EnvironmentCatalog, PlanInput } from './plan.types.js';

const image = { os: 'ubuntu', version: '22.04' };
const tier = (name: string, extra: Partial<ExpandedTier> = {}): ExpandedTier => ({
  name,
  size: { cpu: 2, memoryMiB: 4096 },
  image,
  count: 1,
  dependsOn: [],
  ports: [],
  init: {},
  env: {},
  ...extra,
});
const blueprint = (tiers: ExpandedTier[], extra: Partial<ExpandedBlueprint> = {}): ExpandedBlueprint => ({
  apiVersion: 'switchyard.dev/v1',
  kind: 'Blueprint',
  metadata: { name: 'b', version: '1.0.0', title: 'B' },
  parameters: {},
  tiers: Object.fromEntries(tiers.map((t) => [t.name, t])),
  connections: [],
  outputs: {},
  ...extra,
});
const env = (name: string, extra: Partial<EnvironmentCatalog> = {}): EnvironmentCatalog => ({
  name,
  provider: 'aws',
  currency: 'USD',
  images: [{ ...image, imageId: `img-${name}` }],
  instanceTypes: [
    { name: 'big', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.40' },
    { name: 'b-medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.0416' },
    { name: 'a-medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.0416' },
    { name: 'c-wide', cpu: 4, memoryMiB: 4096, hourlyPrice: '0.0416' },
    { name: 'small', cpu: 1, memoryMiB: 2048, hourlyPrice: '0.01' },
  ],
  ...extra,
});
const input = (bp: ExpandedBlueprint, extra: Partial<PlanInput> = {}): PlanInput => ({
  blueprint: bp,
  parameters: {},
  placement: { default: 'e1' },
  environments: { e1: env('e1') },
  ...extra,
});
const plan = (i: PlanInput) => {
  const result = planDeployment(i);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
};
const problems = (i: PlanInput) => {
  const result = planDeployment(i);
  return result.ok ? [] : result.problems;
};

describe('planDeployment', () => {
  it('orders tiers by dependency and groups those without a path between them', () => {
    const bp = blueprint([
      tier('web', { dependsOn: ['app', 'cache'] }),
      tier('app', { dependsOn: ['db'] }),
      tier('db'),
      tier('cache'),
      tier('batch', { dependsOn: ['db'] }),
    ]);
    expect(plan(input(bp)).stages).toEqual([['db', 'cache'], ['app', 'batch'], ['web']]);
    expect(plan(input(bp)).tiers.map((t) => [t.tier, t.stage])).toEqual([
      ['db', 0],
      ['cache', 0],
      ['app', 1],
      ['batch', 1],
      ['web', 2],
    ]);
  });

  it('chooses the cheapest fitting type; ties go to fewer cpus, then the name', () => {
    const chosen = plan(
      input(blueprint([tier('a'), tier('s', { size: { cpu: 1, memoryMiB: 1024 } })])),
    ).tiers;
    expect(chosen.map((t) => t.instanceType.name)).toEqual(['a-medium', 'small']);
    const bigger = plan(input(blueprint([tier('x', { size: { cpu: 3, memoryMiB: 1024 } })]))).tiers[0];
    expect(bigger?.instanceType.name).toBe('c-wide');
  });

  it('uses an instance type named per tier, smaller than the size or not, and prices it', () => {
    const bp = blueprint([tier('a'), tier('b')]);
    const tiers = plan(input(bp, { instanceTypes: { a: 'small', b: 'big' } })).tiers;
    expect(tiers.map((t) => [t.instanceType.name, t.total.hourly.amount])).toEqual([
      ['small', '0.01'],
      ['big', '0.40'],
    ]);
    expect(problems(input(bp, { instanceTypes: { a: 'nope' } }))).toEqual([
      { path: 'instanceTypes.a', message: 'environment e1 has no priced instance type "nope"' },
    ]);
  });

  it('computes money exactly: monthly = 730 hours, disks per GiB-month, totals per tier and overall', () => {
    const bp = blueprint([
      tier('app', {
        count: '${params.n}',
        scale: { min: 1, max: 5 },
        size: { cpu: 2, memoryMiB: 4096, diskGiB: 50 },
      }),
      tier('db', { size: { cpu: 8, memoryMiB: 16384 } }),
    ]);
    const p = plan(
      input(bp, { parameters: { n: 3 }, environments: { e1: env('e1', { storageGiBMonthPrice: '0.1' }) } }),
    );
    const [app, db] = p.tiers;
    // 0.0416 × 730 = 30.368, + 50 × 0.1 = 5 → 35.368; hourly disk share 5 / 730 = 0.006849…
    expect(app?.perInstance).toEqual({
      hourly: { amount: '0.048449', currency: 'USD' },
      monthly: { amount: '35.368', currency: 'USD' },
    });
    expect(app?.total).toEqual({
      hourly: { amount: '0.145347', currency: 'USD' },
      monthly: { amount: '106.104', currency: 'USD' },
    });
    expect(db?.total.monthly).toEqual({ amount: '292.00', currency: 'USD' });
    expect(p.total).toEqual({
      hourly: { amount: '0.545347', currency: 'USD' },
      monthly: { amount: '398.104', currency: 'USD' },
    });
    // the monthly figure split: 3 × 30.368 compute and 3 × 5 disk; db has no disk
    expect(app?.monthly).toEqual({
      compute: { amount: '91.104', currency: 'USD' },
      disk: { amount: '15.00', currency: 'USD' },
    });
    expect(p.monthly).toEqual({
      compute: { amount: '383.104', currency: 'USD' },
      disk: { amount: '15.00', currency: 'USD' },
    });
    // Floats would say 0.1 + 0.2 = 0.30000000000000004; BigInt units do not.
    const tiny = plan(
      input(blueprint([tier('a'), tier('b')]), {
        environments: {
          e1: env('e1', { instanceTypes: [{ name: 't', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.1' }] }),
        },
      }),
    );
    expect(tiny.total.hourly.amount).toBe('0.20');
  });

  it('places tiers per placement and lists one network per environment used', () => {
    const p = plan(
      input(blueprint([tier('db'), tier('app', { dependsOn: ['db'] })]), {
        placement: { default: 'e1', tiers: { db: 'e2' } },
        environments: { e1: env('e1'), e2: env('e2', { provider: 'openstack', region: 'RegionOne' }) },
      }),
    );
    expect(p.tiers.map((t) => [t.tier, t.environment, t.provider, t.image.imageId])).toEqual([
      ['db', 'e2', 'openstack', 'img-e2'],
      ['app', 'e1', 'aws', 'img-e1'],
    ]);
    expect(p.tiers[0]?.region).toBe('RegionOne');
    expect(p.fabric.networks).toEqual([{ environment: 'e2' }, { environment: 'e1' }]);
    expect(p.fabric.endpointGroups).toEqual([
      { tier: 'db', environment: 'e2' },
      { tier: 'app', environment: 'e1' },
    ]);
  });

  it('derives one whitelist policy per tier from the connections', () => {
    const bp = blueprint([tier('web'), tier('db')], {
      connections: [
        { from: 'internet', to: 'web', ports: ['443/tcp'] },
        { from: 'web', to: 'db', ports: ['5432/tcp', '5432/udp'] },
        { from: '${params.admin}', to: 'db', ports: ['22/tcp'] },
        { from: 'db', to: 'db' },
      ],
    });
    const { policies } = plan(input(bp, { parameters: { admin: '192.168.0.0/16' } })).fabric;
    const allow = { direction: 'in', priority: 10, action: 'allow' };
    const deny = { ruleId: 'deny-all', direction: 'in', priority: 1, action: 'deny', protocol: '', port: 0 };
    expect(policies).toEqual([
      {
        tier: 'web',
        rules: [
          { ruleId: 'c0-tcp-443', ...allow, fromIpAddress: '0.0.0.0/0', protocol: 'tcp', port: 443 },
          deny,
        ],
      },
      {
        tier: 'db',
        rules: [
          { ruleId: 'c1-tcp-5432', ...allow, fromEndpointGroup: 'web', protocol: 'tcp', port: 5432 },
          { ruleId: 'c1-udp-5432', ...allow, fromEndpointGroup: 'web', protocol: 'udp', port: 5432 },
          { ruleId: 'c2-tcp-22', ...allow, fromIpAddress: '192.168.0.0/16', protocol: 'tcp', port: 22 },
          { ruleId: 'c3-any', ...allow, fromEndpointGroup: 'db', protocol: '', port: 0 },
          deny,
        ],
      },
    ]);
  });

  it('reports unknown environments by placement path', () => {
    expect(
      problems(
        input(blueprint([tier('db')]), { placement: { default: 'nope', tiers: { db: 'e9', ghost: 'e1' } } }),
      ),
    ).toEqual([
      { path: 'placement.default', message: '"nope" is not a known environment' },
      { path: 'placement.tiers.db', message: '"e9" is not a known environment' },
      { path: 'placement.tiers.ghost', message: '"ghost" names no tier' },
    ]);
  });

  it('reports a tier no type fits, a missing image and mixed currencies', () => {
    const bp = blueprint([
      tier('huge', { size: { cpu: 64, memoryMiB: 4096 } }),
      tier('win', { image: { os: 'windows', version: '2022' } }),
      tier('eu'),
    ]);
    const found = problems(
      input(bp, {
        placement: { default: 'e1', tiers: { eu: 'e2' } },
        environments: { e1: env('e1'), e2: env('e2', { currency: 'EUR' }) },
      }),
    );
    expect(found).toEqual([
      { path: 'placement', message: 'environments price in different currencies: e1 in USD; e2 in EUR' },
      { path: 'tiers.huge.size', message: 'no instance type in e1 fits tier huge (64 cpu, 4096 MiB)' },
      { path: 'tiers.win.image', message: 'environment e1 has no image windows 2022' },
    ]);
  });

  it('checks counts taken from parameters against scale', () => {
    const bp = blueprint([tier('app', { count: '${params.n}', scale: { min: 1, max: 3 } })]);
    expect(problems(input(bp, { parameters: { n: 4 } }))).toEqual([
      { path: 'parameters.n', message: 'count of tier app must be an integer in 1..3' },
    ]);
    expect(problems(input(bp))).toEqual([
      { path: 'parameters.n', message: 'needs a value (it is the count of tier app)' },
    ]);
  });

  it('refuses a malformed price instead of guessing', () => {
    const e1 = env('e1', { instanceTypes: [{ name: 't', cpu: 2, memoryMiB: 4096, hourlyPrice: '0,04' }] });
    expect(problems(input(blueprint([tier('a')]), { environments: { e1 } })).map((p) => p.path)).toEqual([
      'environments.e1.instanceTypes.0.hourlyPrice',
      'tiers.a.size',
    ]);
  });
});
