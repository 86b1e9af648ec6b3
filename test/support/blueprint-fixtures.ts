import type { Client } from './http.js';

// Price lists the tests give the planner until environments are stored (same as the library's tests).
const ubuntu = (imageId: string) => [{ os: 'ubuntu', version: '22.04', imageId }];
export const ENVIRONMENTS = [
  {
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
      { name: 'm6i.4xlarge', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.768' },
    ],
  },
  {
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
      { name: 'r1.8x32', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.09' },
      { name: 'hpc.16x64', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.12' },
    ],
  },
];

// Values for the demo parameters that have no default.
export const DEMO_VALUES: Record<string, string> = {
  dbPassword: 'pw-1234-secret',
  warehousePassword: 'pw-5678-secret',
  queuePassword: 'pw-9012-secret',
  mungeKey: 'bXVuZ2Uta2V5',
  adminEmail: 'admin@example.com',
};

/** A small valid blueprint; `extra` is appended under `tiers.web` (indented by the caller). */
export function simpleYaml(
  name: string,
  version: string,
  opts: { title?: string; tag?: string } = {},
): string {
  return `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata:
  name: ${name}
  version: ${version}
  title: ${opts.title ?? 'Simple web'}
  category: testing
  tags: [${opts.tag ?? 'e2e'}]
tiers:
  web:
    size: { cpu: 1, memoryMiB: 1024 }
    image: { os: ubuntu, version: '22.04' }
    ports: [80/tcp]
connections:
  - { from: internet, to: web, ports: [80/tcp] }
`;
}

/** A blueprint with known prices: app (3 x t3.small, 20 GiB disk) after db (postgres@^15 service). */
export function pricedYaml(name: string): string {
  return `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata:
  name: ${name}
  version: 1.0.0
  title: Priced
parameters:
  appCount: { type: integer, default: 2, minimum: 1, maximum: 5 }
  dbPassword: { type: secret, required: true }
tiers:
  db:
    uses: postgres@^15
    env: { PGPASSWORD: '\${params.dbPassword}' }
  app:
    size: { cpu: 2, memoryMiB: 2048, diskGiB: 20 }
    image: { os: ubuntu, version: '22.04' }
    count: '\${params.appCount}'
    scale: { min: 1, max: 5 }
    dependsOn: [db]
    ports: [8080/tcp]
    env: { DB_HOST: '\${tiers.db.address}' }
connections:
  - { from: app, to: db, ports: [5432/tcp] }
`;
}

export const YAML = { 'content-type': 'application/yaml' };

/** A tenant with an operator and a member token. */
export async function tenantWithTokens(admin: Client, tenant: string) {
  if ((await admin.post('/api/v1/tenants', { name: tenant })).status !== 201) throw new Error('tenant');
  const tokenFor = async (user: string, role: string) => {
    const created = await admin.post('/api/v1/users', { name: user, role, tenant });
    if (created.status !== 201) throw new Error(`user ${user}: ${created.text}`);
    const token = await admin.post('/api/v1/tokens', { name: `${user}-t`, userId: created.body.id });
    if (token.status !== 201) throw new Error(`token ${user}: ${token.text}`);
    return admin.as(token.body.token as string);
  };
  return { operator: await tokenFor('ops', 'operator'), member: await tokenFor('dev', 'member') };
}
