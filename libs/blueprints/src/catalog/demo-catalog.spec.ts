import type { BlueprintDocument } from '../blueprint.types.js';
import { resolveParameters } from '../parameters/resolve-parameters.util.js';
import { parseBlueprint } from '../parse/parse-blueprint.util.js';
import { planDeployment } from '../plan/plan-deployment.util.js';
import type { EnvironmentCatalog } from '../plan/plan.types.js';
import { createServiceResolver } from '../reference/version-reference.util.js';
import { BLUEPRINT_JSON_SCHEMA } from '../schema/blueprint.schema.js';
import { checkAgainstSchema } from '../schema/schema-check.util.js';
import { loadBlueprint } from '../validate/load-blueprint.util.js';
import { loadDemoCatalog } from './load-demo-catalog.util.js';

// Test price lists; real ones come from the cloud side.
const ubuntu = (imageId: string) => [{ os: 'ubuntu', version: '22.04', imageId }];
const ENVIRONMENTS: Record<string, EnvironmentCatalog> = {
  'aws-us-east-1': {
    name: 'aws-us-east-1',
    provider: 'aws',
    region: 'us-east-1',
    currency: 'USD',
    storageGiBMonthPrice: '0.08',
    images: ubuntu('ami-0c7217cdde317cfec'),
    instanceTypes: [
      { name: 't3.micro', cpu: 2, memoryMiB: 1024, hourlyPrice: '0.0104' },
      { name: 't3.small', cpu: 2, memoryMiB: 2048, hourlyPrice: '0.0208' },
      { name: 't3.medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.0416' },
      { name: 'm6i.xlarge', cpu: 4, memoryMiB: 16384, hourlyPrice: '0.192' },
      { name: 'm6i.2xlarge', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.384' },
      { name: 'c6i.4xlarge', cpu: 16, memoryMiB: 32768, hourlyPrice: '0.68' },
      { name: 'm6i.4xlarge', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.768' },
    ],
  },
  'openstack-lab': {
    name: 'openstack-lab',
    provider: 'openstack',
    region: 'RegionOne',
    currency: 'USD',
    storageGiBMonthPrice: '0.02',
    images: ubuntu('5f1c6a3e-8d4b-4c1e-9a57-2b8f0d6e7c11'),
    instanceTypes: [
      { name: 'm1.small', cpu: 1, memoryMiB: 2048, hourlyPrice: '0.01' },
      { name: 'm1.medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.02' },
      { name: 'm1.large', cpu: 4, memoryMiB: 8192, hourlyPrice: '0.04' },
      { name: 'm1.xlarge', cpu: 8, memoryMiB: 16384, hourlyPrice: '0.08' },
      { name: 'r1.4x16', cpu: 4, memoryMiB: 16384, hourlyPrice: '0.05' },
      { name: 'r1.8x32', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.09' },
      { name: 'hpc.16x64', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.12' },
    ],
  },
  'vsphere-dc1': {
    name: 'vsphere-dc1',
    provider: 'vsphere',
    currency: 'USD',
    images: ubuntu('vm-template-ubuntu-2204'),
    instanceTypes: [
      { name: 'small-1x1', cpu: 1, memoryMiB: 1024, hourlyPrice: '0.005' },
      { name: 'medium-2x4', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.015' },
      { name: 'large-4x16', cpu: 4, memoryMiB: 16384, hourlyPrice: '0.05' },
      { name: 'xlarge-8x32', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.1' },
      { name: 'huge-16x64', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.2' },
    ],
  },
  // a Linux host: its own root stands in for Ubuntu, and it alone offers `linux-host root`
  'linux-local': {
    name: 'linux-local',
    provider: 'linux-host',
    currency: 'USD',
    storageGiBMonthPrice: '0.02',
    images: [...ubuntu('host-root'), { os: 'linux-host', version: 'root', imageId: 'host-root' }],
    instanceTypes: [
      { name: 'lh.1', cpu: 1, memoryMiB: 1024, hourlyPrice: '0.01' },
      { name: 'lh.2', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.024' },
      { name: 'lh.4', cpu: 4, memoryMiB: 16384, hourlyPrice: '0.064' },
      { name: 'lh.8', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.128' },
      { name: 'lh.16', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.256' },
    ],
  },
};

// Blueprints written for Linux hosts ask for the host's own root, which no other cloud has.
const HOST_ROOT = (doc: BlueprintDocument) =>
  Object.values(doc.tiers).some((t) => t.image?.os === 'linux-host');

// Values for the parameters that have no default.
const ORDER_VALUES: Record<string, unknown> = {
  dbPassword: 'pw-1234',
  warehousePassword: 'pw-5678',
  queuePassword: 'pw-9012',
  mungeKey: 'bXVuZ2Uta2V5',
  adminEmail: 'admin@example.com',
};

const files = loadDemoCatalog();
const documents = files.map(({ file, text }) => {
  const parsed = parseBlueprint(text, 'yaml');
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
  return { file, text, doc: parsed.blueprint as unknown as BlueprintDocument };
});
const resolver = createServiceResolver(
  documents
    .filter(({ doc }) => doc.kind === 'Service')
    .map(({ doc }) => ({ version: doc.metadata.version, state: 'published' as const, blueprint: doc })),
);

describe('demo catalog', () => {
  it('holds the five blueprints and four Services of the issue, and node-postgres for Linux hosts', () => {
    const byKind = (kind: string) =>
      documents.filter((d) => d.doc.kind === kind).map((d) => d.doc.metadata.name);
    expect(byKind('Blueprint').sort()).toEqual([
      'etl-pipeline',
      'hpc-cluster',
      'node-postgres',
      'rstudio-workbench',
      'three-tier-shop',
      'wordpress',
    ]);
    expect(byKind('Service').sort()).toEqual(['mysql', 'nginx', 'postgres', 'redis']);
    expect(
      files.every(({ file }, i) => documents[i]?.doc.metadata.name === file.replace(/\.yaml$/, '')),
    ).toBe(true);
  });

  it.each(documents.map((d) => [d.file, d] as const))('%s satisfies the JSON Schema', (_file, { doc }) => {
    expect(checkAgainstSchema(doc, BLUEPRINT_JSON_SCHEMA).problems).toEqual([]);
  });

  it.each(documents.map((d) => [d.file, d] as const))('%s validates', (_file, { text }) => {
    const result = loadBlueprint(text, 'yaml', { resolveService: resolver });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  const plans = documents
    .filter(({ doc }) => doc.kind === 'Blueprint')
    .flatMap(({ file, text, doc }) =>
      Object.keys(ENVIRONMENTS)
        .filter((env) => !HOST_ROOT(doc) || ENVIRONMENTS[env]?.provider === 'linux-host')
        .map((env) => [file, env, text] as const),
    );

  it.each(plans)('%s plans on %s', (_file, env, text) => {
    const loaded = loadBlueprint(text, 'yaml', { resolveService: resolver });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const params = resolveParameters(loaded.expanded, pick(ORDER_VALUES, loaded.expanded.parameters));
    expect(params.problems).toEqual([]);
    const result = planDeployment({
      blueprint: loaded.expanded,
      parameters: params.values,
      placement: { default: env },
      environments: ENVIRONMENTS,
    });
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(result.ok && result.plan.tiers.length).toBe(Object.keys(loaded.expanded.tiers).length);
  });

  it('plans node-postgres on a Linux host only, and says why not elsewhere: no image linux-host root', () => {
    const doc = documents.find((d) => d.doc.metadata.name === 'node-postgres');
    const loaded = loadBlueprint(doc?.text ?? '', 'yaml', { resolveService: resolver });
    if (!loaded.ok) throw new Error('invalid');
    const params = resolveParameters(loaded.expanded, { dbPassword: 'pw-1234' });
    const planOn = (env: string) =>
      planDeployment({
        blueprint: loaded.expanded,
        parameters: params.values,
        placement: { default: env },
        environments: ENVIRONMENTS,
      });
    const local = planOn('linux-local');
    if (!local.ok) throw new Error(JSON.stringify(local.problems));
    expect(local.plan.tiers.map((t) => `${t.tier}: ${t.instanceType.name} ${t.image.imageId}`)).toEqual([
      'db: lh.1 host-root',
      'web: lh.1 host-root',
    ]);
    for (const env of ['aws-us-east-1', 'openstack-lab', 'vsphere-dc1']) {
      const elsewhere = planOn(env);
      expect(elsewhere.ok ? [] : elsewhere.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        `tiers.db.image: environment ${env} has no image linux-host root`,
        `tiers.web.image: environment ${env} has no image linux-host root`,
      ]);
    }
  });

  it('plans the three-tier shop on a Linux host with the agent’s own types, as the README’s first order', () => {
    // apps/agent/src/instances/instance-types.ts, priced by the demo rate card (0.008 a vCPU-hour,
    // 0.002 a GiB-hour); the host's root stands in for Ubuntu 22.04
    const host: EnvironmentCatalog = {
      name: 'linux-local',
      provider: 'linux-host',
      currency: 'USD',
      images: ubuntu('host-root'),
      instanceTypes: [
        { name: 'lh.quarter', cpu: 0.25, memoryMiB: 256, hourlyPrice: '0.0025' },
        { name: 'lh.half', cpu: 0.5, memoryMiB: 512, hourlyPrice: '0.005' },
        { name: 'lh.1', cpu: 1, memoryMiB: 1024, hourlyPrice: '0.01' },
        { name: 'lh.2', cpu: 2, memoryMiB: 2048, hourlyPrice: '0.02' },
      ],
    };
    const shop = documents.find((d) => d.doc.metadata.name === 'three-tier-shop');
    const loaded = loadBlueprint(shop?.text ?? '', 'yaml', { resolveService: resolver });
    if (!loaded.ok) throw new Error('invalid');
    const params = resolveParameters(loaded.expanded, { dbPassword: 'pw-1234' });
    const result = planDeployment({
      blueprint: loaded.expanded,
      parameters: params.values,
      placement: { default: 'linux-local' },
      environments: { 'linux-local': host },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.plan.tiers.map((t) => `${t.tier}: ${t.count} × ${t.instanceType.name}`)).toEqual([
      'db: 1 × lh.2',
      'app: 2 × lh.2',
      'web: 1 × lh.1',
    ]);
    // every package a tier asks for is one a Debian host with Node.js and PostgreSQL has
    expect(
      [...new Set(Object.values(loaded.expanded.tiers).flatMap((t) => t.init.packages ?? []))].sort(),
    ).toEqual(['ca-certificates', 'nodejs', 'openssl', 'postgresql-common']);
  });

  it('runs the HPC cluster on OpenStack flavors and says it is meant for OpenStack', () => {
    const hpc = documents.find((d) => d.doc.metadata.name === 'hpc-cluster');
    expect(hpc?.doc.metadata.tags).toContain('openstack');
    const loaded = loadBlueprint(hpc?.text ?? '', 'yaml', { resolveService: resolver });
    if (!loaded.ok) throw new Error('invalid');
    const params = resolveParameters(loaded.expanded, { mungeKey: 'a2V5' });
    const result = planDeployment({
      blueprint: loaded.expanded,
      parameters: params.values,
      placement: { default: 'openstack-lab' },
      environments: ENVIRONMENTS,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.plan.stages).toEqual([['head'], ['compute']]);
    const compute = result.plan.tiers.find((t) => t.tier === 'compute');
    expect(compute?.instanceType.name).toBe('hpc.16x64');
    expect(compute?.count).toBe(4);
    // 4 × (0.12 × 730 + 100 GiB × 0.02) = 4 × 89.6
    expect(compute?.total.monthly).toEqual({ amount: '358.40', currency: 'USD' });
  });
});

function pick(values: Record<string, unknown>, declared: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => Object.hasOwn(declared, name)));
}
