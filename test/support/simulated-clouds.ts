import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import type { Client } from './http.js';
import {
  openStackApi,
  openStackLogin,
  type OpenStackApi,
} from '../integration/cloud/support/openstack-api.js';

export interface SimulatedClouds {
  /** Environment on moto (AWS EC2), inside moto's default VPC. */
  aws: string;
  /** Environment on vcsim (vSphere). */
  vsphere: string;
  awsAccountId: string;
  vsphereAccountId: string;
}

type Price = [name: string, cpu: number, memoryMiB: number, hourlyPrice: string];

export const priceList = (types: Price[]) => ({
  currency: 'USD',
  source: 'test',
  date: '2026-11-01',
  instanceTypes: types.map(([name, cpu, memoryMiB, hourlyPrice]) => ({ name, cpu, memoryMiB, hourlyPrice })),
});

const AWS_TYPES: Price[] = [
  ['t3.small', 2, 2048, '0.0208'],
  ['t3.medium', 2, 4096, '0.0416'],
  ['m5.xlarge', 4, 16384, '0.192'],
];
const VSPHERE_SIZES: Price[] = [
  ['small', 1, 2048, '0.01'],
  ['medium', 2, 4096, '0.02'],
  ['large', 4, 8192, '0.04'],
];

/**
 * A cloud account and an environment on each simulated cloud, made through the API as an admin
 * would; names carry `suffix` so that test files sharing a database do not collide.
 */
export async function createSimulatedClouds(
  admin: Client,
  moto: CloudPeer,
  vcsim: CloudPeer,
  suffix: string,
  titles: { aws?: string; vsphere?: string } = {},
): Promise<SimulatedClouds> {
  const expectCreated = (what: string, res: { status: number; text: string }) => {
    if (res.status !== 201) throw new Error(`creating ${what}: HTTP ${res.status} ${res.text}`);
  };
  const aws = await admin.post('/api/v1/cloud-accounts', {
    name: `aws-${suffix}`,
    provider: 'aws-ec2',
    simulated: true,
    settings: { region: 'eu-west-1', endpoint: moto.endpoint, imageOwners: ['amazon'] },
    credentials: { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' },
  });
  expectCreated('the moto account', aws);
  const vs = await admin.post('/api/v1/cloud-accounts', {
    name: `vs-${suffix}`,
    provider: 'vsphere',
    simulated: true,
    settings: { url: vcsim.endpoint, caCert: vcsim.caCert },
    credentials: { username: 'switchyard', password: 'vcsim-secret' },
  });
  expectCreated('the vcsim account', vs);
  const clouds = {
    aws: `e2e-aws-${suffix}`,
    vsphere: `e2e-vs-${suffix}`,
    awsAccountId: aws.body.id as string,
    vsphereAccountId: vs.body.id as string,
  };
  expectCreated(
    'the moto environment',
    await admin.post('/api/v1/environments', {
      name: clouds.aws,
      ...(titles.aws ? { title: titles.aws } : {}),
      account: clouds.awsAccountId,
      region: 'eu-west-1',
      // inside moto's default VPC (172.31.0.0/16), clear of its default subnets
      placement: { addressPool: '172.31.128.0/17' },
      images: [{ os: 'ubuntu', version: '22.04', imageId: moto.fixtures.image }],
      priceList: priceList(AWS_TYPES),
    }),
  );
  expectCreated(
    'the vcsim environment',
    await admin.post('/api/v1/environments', {
      name: clouds.vsphere,
      ...(titles.vsphere ? { title: titles.vsphere } : {}),
      account: clouds.vsphereAccountId,
      images: [{ os: 'ubuntu', version: '22.04', imageId: vcsim.fixtures.image }],
      priceList: priceList(VSPHERE_SIZES),
    }),
  );
  return clouds;
}

export interface OpenStackCloud {
  /** Environment on the real OpenStack of tools/peers (Nova's fake driver). */
  openstack: string;
  openstackAccountId: string;
}

// the seeded m1.tiny and m1.small, and m1.medium for 4 GiB tiers (made here when it is missing)
const OPENSTACK_FLAVORS: Price[] = [
  ['m1.tiny', 1, 512, '0.005'],
  ['m1.small', 2, 2048, '0.01'],
  ['m1.medium', 2, 4096, '0.02'],
];

/** Nova's flavors as the OpenStack environment prices them (the names are the flavors' names). */
export const openStackPriceList = () => priceList(OPENSTACK_FLAVORS);

/**
 * A cloud account and an environment on the real OpenStack (`peer` from startOpenStack), made
 * through the API as an admin would. Deployment networks come from 10.77.0.0/16, clear of the
 * contract suite's 10.42.0.0/24.
 */
export async function createOpenStackCloud(
  admin: Client,
  peer: CloudPeer,
  suffix: string,
): Promise<OpenStackCloud> {
  const login = openStackLogin(peer.endpoint);
  await ensureFlavors(await openStackApi(login), OPENSTACK_FLAVORS);
  const account = await admin.post('/api/v1/cloud-accounts', {
    name: `os-${suffix}`,
    provider: 'openstack',
    settings: { authUrl: login.authUrl, region: 'RegionOne', vlanPhysicalNetwork: 'physnet1' },
    credentials: {
      kind: 'password',
      username: login.username,
      password: login.password,
      project: login.project,
    },
  });
  if (account.status !== 201)
    throw new Error(`creating the OpenStack account: HTTP ${account.status} ${account.text}`);
  const cloud = { openstack: `e2e-os-${suffix}`, openstackAccountId: account.body.id as string };
  const env = await admin.post('/api/v1/environments', {
    name: cloud.openstack,
    account: cloud.openstackAccountId,
    region: 'RegionOne',
    placement: { addressPool: '10.77.0.0/16' },
    images: [{ os: 'ubuntu', version: '22.04', imageId: peer.fixtures.image }],
    priceList: openStackPriceList(),
  });
  if (env.status !== 201)
    throw new Error(`creating the OpenStack environment: HTTP ${env.status} ${env.text}`);
  return cloud;
}

/**
 * Nova flavors for every size the demo catalog asks for (as tools/peers/openstack/ostack-seed.py
 * makes them): the demo's OpenStack environment prices the flavors it finds.
 */
export const DEMO_OPENSTACK_FLAVORS: Flavor[] = [
  ['m1.medium', 2, 4096],
  ['m1.large', 4, 8192],
  ['m1.xlarge', 8, 16384],
  ['m1.2xlarge', 8, 32768],
  ['hpc.16x64', 16, 65536],
];

// a flavor's name, vCPUs and RAM (a Price has its hourly price after them)
type Flavor = readonly [name: string, cpu: number, memoryMiB: number, ...price: string[]];

/** Makes the flavors Nova lacks on `peer` (a shared peer may have them already). */
export async function ensureOpenStackFlavors(peer: CloudPeer, flavors: readonly Flavor[]): Promise<void> {
  await ensureFlavors(await openStackApi(openStackLogin(peer.endpoint)), flavors);
}

/** Makes the flavors Nova lacks; one made meanwhile by someone else (409) is as good. */
async function ensureFlavors(os: OpenStackApi, flavors: readonly Flavor[]): Promise<void> {
  const { flavors: have } = await os.request<{ flavors: Array<{ name: string }> }>(
    'compute',
    'GET',
    '/flavors/detail',
  );
  for (const [name, vcpus, ram] of flavors) {
    if (have.some((f) => f.name === name)) continue;
    await os
      .request('compute', 'POST', '/flavors', { flavor: { name, vcpus, ram, disk: 40 } })
      .catch((err: Error) => {
        if (!/HTTP 409/.test(err.message)) throw err;
      });
  }
}
