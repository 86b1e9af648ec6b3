import type { Environment, Provider } from '../api/types';
import { checkPriceList, emptyDraft, toBody, toDraft, type PriceListDraft } from './price-list';

// An environment as its form holds it, the body the API takes, and the checks the server makes
// on it (environments.dto.ts, environment-fields.util.ts), by the paths the server names.
const NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const NAME_RULE = 'must be 1-64 lowercase letters, digits or -, starting and ending with a letter or digit';

export interface ImageRow {
  key: number;
  os: string;
  version: string;
  imageId: string;
}

export interface EnvironmentDraft {
  name: string;
  title: string;
  account: string;
  region: string;
  shared: boolean;
  placement: Record<string, string>;
  images: ImageRow[];
  priceList: PriceListDraft;
}

/** The placement fields each provider takes; addressPool is where deployment networks come from. */
export const PLACEMENT_FIELDS: Record<Provider, { key: string; label: string; hint?: string }[]> = {
  'aws-ec2': [
    { key: 'vpcId', label: 'VPC id', hint: "Default: the account's" },
    { key: 'subnetId', label: 'Subnet id' },
    { key: 'availabilityZone', label: 'Availability zone' },
  ],
  openstack: [
    { key: 'externalNetwork', label: 'External network' },
    { key: 'availabilityZone', label: 'Availability zone' },
  ],
  vsphere: [
    { key: 'datacenter', label: 'Datacenter' },
    { key: 'cluster', label: 'Cluster' },
    { key: 'folder', label: 'Folder' },
    { key: 'datastore', label: 'Datastore' },
    { key: 'switchName', label: 'Switch or port group' },
  ],
  // a Linux host places nothing but its address pool
  'linux-host': [],
};
export const ADDRESS_POOL = {
  key: 'addressPool',
  label: 'Address pool',
  hint: 'An IPv4 block from /8 to /24 that deployment networks (a /24 each) are cut from',
};

let nextKey = 1;
export const newImage = (): ImageRow => ({ key: nextKey++, os: '', version: '', imageId: '' });

export function toEnvironmentDraft(env: Environment | undefined): EnvironmentDraft {
  const placement = Object.fromEntries(
    Object.entries(env?.placement ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  return {
    name: env?.name ?? '',
    title: env?.title ?? '',
    account: env?.account.id ?? '',
    region: env?.region ?? '',
    shared: env?.shared ?? false,
    placement,
    images: env
      ? env.images.map((i) => ({ key: nextKey++, ...i }))
      : [{ key: nextKey++, os: 'ubuntu', version: '22.04', imageId: '' }],
    priceList: env ? toDraft(env.priceList) : emptyDraft(),
  };
}

/** The fields PATCH and POST share; empty placement boxes are left out (the server replaces it whole). */
export function toCommonBody(d: EnvironmentDraft) {
  return {
    title: d.title.trim(),
    ...(d.region.trim() ? { region: d.region.trim() } : {}),
    placement: Object.fromEntries(
      Object.entries(d.placement)
        .map(([k, v]) => [k, v.trim()] as const)
        .filter(([, v]) => v !== ''),
    ),
    images: d.images.map(({ os, version, imageId }) => ({
      os: os.trim(),
      version: version.trim(),
      imageId: imageId.trim(),
    })),
    priceList: toBody(d.priceList),
  };
}

const length = (v: string, max: number) =>
  v.trim() === '' ? 'is required' : v.trim().length > max ? `must be at most ${max} characters` : undefined;

/** What the server would refuse in this draft, by path. Placement values are left to the server. */
export function checkEnvironment(d: EnvironmentDraft, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (path: string, problem: string | undefined) => {
    if (problem) out[path] ??= problem;
  };
  if (creating) {
    put('name', d.name.trim() === '' ? 'is required' : NAME.test(d.name.trim()) ? undefined : NAME_RULE);
    put('account', d.account ? undefined : 'choose a cloud account');
  }
  put('title', d.title.trim().length > 200 ? 'must be at most 200 characters' : undefined);
  put('region', d.region.trim().length > 64 ? 'must be at most 64 characters' : undefined);
  const seen = new Set<string>();
  d.images.forEach((img, i) => {
    put(`images.${i}.os`, length(img.os, 64));
    put(`images.${i}.version`, length(img.version, 64));
    put(`images.${i}.imageId`, length(img.imageId, 255));
    const key = `${img.os.trim()}\u0000${img.version.trim()}`;
    if (seen.has(key)) put(`images.${i}`, `${img.os.trim()} ${img.version.trim()} is listed twice`);
    seen.add(key);
  });
  return { ...out, ...checkPriceList(d.priceList) };
}
