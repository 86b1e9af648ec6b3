import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import type { Client } from './http.js';

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
