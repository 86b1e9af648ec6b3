import type { CloudImage } from '@switchyard/cloud-adapters';
import type { DemoClouds } from '@switchyard/core/config';
import type { EnvironmentImage } from '@switchyard/core/database';
import type { CloudAccountInput } from '../cloud-accounts/cloud-accounts.service.js';
import type { CreateEnvironmentDto } from '../environments/environments.dto.js';

/** One demo cloud: its account, its shared environment, and how to map its images. */
export interface DemoSpec {
  endpoint: string;
  /** Said when the cloud does not answer. */
  howToStart: string;
  account: CloudAccountInput;
  environment: Omit<CreateEnvironmentDto, 'account' | 'images'>;
  images(found: CloudImage[]): EnvironmentImage[];
}

// A made-up private-cloud rate card for the demo, dated so nobody mistakes it for a quote.
const DEMO_RATE_CARD = { vcpuHour: '0.0150', gibRamHour: '0.0040', gibDiskMonth: '0.05' };
const DEMO_DATE = '2025-01-15';
// vSphere sizes the demo prices (and lets deployments create): the demo catalog's tiers fit them.
const VSPHERE_SIZES = [
  { name: 'small', cpu: 1, memoryMiB: 2048 },
  { name: 'medium', cpu: 2, memoryMiB: 4096 },
  { name: 'large', cpu: 4, memoryMiB: 8192 },
  { name: 'xlarge', cpu: 4, memoryMiB: 16384 },
  { name: '2xlarge', cpu: 8, memoryMiB: 32768 },
  { name: '4xlarge', cpu: 16, memoryMiB: 65536 },
];

// The demo blueprints ask for Ubuntu 22.04; a simulator's first fitting image stands in for it.
function ubuntuFrom(found: CloudImage[], prefer: RegExp): EnvironmentImage[] {
  const image = found.find((i) => prefer.test(i.name)) ?? found[0];
  return image ? [{ os: 'ubuntu', version: '22.04', imageId: image.id }] : [];
}

// The local host's rate card: what a share of this machine costs, by vCPU-hours and GiB-hours
// (the agent's types are cgroup limits such as 0.25 CPU and 256 MiB); made up, dated like the rest.
const LINUX_RATE_CARD = { vcpuHour: '0.0080', gibRamHour: '0.0020', gibDiskMonth: '0.02' };
/** The environment `npm start` seeds for the local host's agent. */
export const LINUX_LOCAL_ENVIRONMENT = 'linux-local';

// A Linux-host instance runs over a copy-on-write overlay of the host's own root: it stands in for
// the Ubuntu the demo blueprints ask for (their packages must be on the host), and it is the one
// image of `linux-host root`, which blueprints written for this provider ask for.
function hostRootFrom(found: CloudImage[]): EnvironmentImage[] {
  const image = found.find((i) => i.id === 'host-root') ?? found[0];
  if (!image) return [];
  return [
    { os: 'linux-host', version: 'root', imageId: image.id },
    { os: 'ubuntu', version: '22.04', imageId: image.id },
  ];
}

/** The demo clouds SWITCHYARD_DEMO_CLOUDS names, in seeding order. */
export function demoSpecs(
  demo: DemoClouds,
  vcsimCa: string | undefined,
  linuxHostToken?: string,
): DemoSpec[] {
  const specs: DemoSpec[] = [];
  if (demo.moto) {
    specs.push({
      endpoint: demo.moto,
      howToStart: 'Start it with tools/peers/up.sh moto, then restart.',
      account: {
        name: 'AWS (simulated)',
        provider: 'aws-ec2',
        description: 'moto, the AWS emulator: nothing real is created or billed',
        simulated: true,
        settings: { region: 'us-east-1', endpoint: demo.moto, imageOwners: ['amazon'] },
        // moto accepts any key unless told to check; these are placeholders, not AWS keys
        credentials: { accessKeyId: 'AKIDSWITCHYARDDEMO01', secretAccessKey: 'switchyard-demo-secret' },
      },
      environment: {
        name: 'aws-us-east-1',
        title: 'AWS us-east-1 (simulated by moto)',
        shared: true,
        // deployment networks go into moto's default VPC (172.31.0.0/16), clear of its default subnets
        placement: { addressPool: '172.31.128.0/17' },
      },
      images: (found) => ubuntuFrom(found, /ubuntu/i),
    });
  }
  if (demo.vcsim) {
    specs.push({
      endpoint: demo.vcsim.url,
      howToStart: 'Start it with tools/peers/up.sh vcsim, then restart.',
      account: {
        name: 'vSphere (simulated)',
        provider: 'vsphere',
        description: 'vcsim, the vCenter simulator: nothing real is created',
        simulated: true,
        settings: { url: demo.vcsim.url, ...(vcsimCa ? { caCert: vcsimCa } : {}) },
        credentials: { username: demo.vcsim.username, password: demo.vcsim.password },
      },
      environment: {
        name: 'vsphere-dc1',
        title: 'vSphere DC1 (simulated by vcsim)',
        shared: true,
        priceList: {
          currency: 'USD',
          source: 'demo rate card',
          date: DEMO_DATE,
          rateCard: DEMO_RATE_CARD,
          instanceTypes: VSPHERE_SIZES,
        },
      },
      images: (found) => ubuntuFrom(found, /linux|ubuntu/i),
    });
  }
  if (demo.openstack) {
    const os = demo.openstack;
    specs.push({
      endpoint: os.authUrl,
      howToStart:
        'Start it with tools/peers/up.sh openstack (about 2 minutes; 6 more for packages the first time), then restart.',
      account: {
        name: 'OpenStack',
        provider: 'openstack',
        description: 'The real OpenStack of tools/peers (Nova with the fake driver)',
        simulated: false,
        settings: { authUrl: os.authUrl },
        credentials: { kind: 'password', username: os.username, password: os.password, project: os.project },
      },
      environment: {
        name: 'openstack-lab',
        title: 'OpenStack lab',
        shared: true,
        // no sizes listed: the card prices the flavors the sync finds
        priceList: { currency: 'USD', source: 'demo rate card', date: DEMO_DATE, rateCard: DEMO_RATE_CARD },
      },
      images: (found) => ubuntuFrom(found, /ubuntu|cirros/i),
    });
  }
  if (demo.linuxHost && linuxHostToken) {
    specs.push({
      endpoint: demo.linuxHost.agentUrl,
      howToStart: 'npm start runs the local host agent when it runs as root on Linux.',
      account: {
        name: 'Linux (local)',
        provider: 'linux-host',
        description: 'This machine: instances are network namespaces run by the host agent (apps/agent)',
        simulated: false,
        settings: { agentUrl: demo.linuxHost.agentUrl },
        credentials: { token: linuxHostToken },
      },
      environment: {
        name: LINUX_LOCAL_ENVIRONMENT,
        title: 'Linux (local)',
        shared: true,
        // deployment networks become bridges on this host: a block its own networks do not use
        placement: { addressPool: '10.237.0.0/16' },
        // no sizes listed: the card prices the agent's instance types the sync finds
        priceList: {
          currency: 'USD',
          source: 'demo rate card (local host)',
          date: DEMO_DATE,
          rateCard: LINUX_RATE_CARD,
        },
      },
      images: hostRootFrom,
    });
  }
  return specs;
}
