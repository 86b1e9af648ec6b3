import type { CloudAccountEntity, CloudProviderName, EnvironmentImage } from '@switchyard/core/database';
import type { ErrorDetail } from '../common/app.exception.js';

// addressPool: where deployment networks (/24 each) are cut from; on AWS it must sit in the VPC
const PLACEMENT_KEYS: Record<CloudProviderName, readonly string[]> = {
  'aws-ec2': ['vpcId', 'subnetId', 'availabilityZone', 'addressPool'],
  openstack: ['externalNetwork', 'availabilityZone', 'addressPool'],
  vsphere: ['datacenter', 'cluster', 'folder', 'datastore', 'switchName', 'addressPool'],
  'linux-host': ['addressPool'],
};

const POOL = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function poolProblem(value: string): string | undefined {
  const m = POOL.exec(value);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255)) return 'must be an IPv4 block such as 10.200.0.0/16';
  const prefix = Number(m[5]);
  if (prefix < 8 || prefix > 24) return 'must be a block from /8 to /24 (deployment networks are /24s)';
  return undefined;
}

/** Placement keys by provider, string values only; every problem by path. */
export function checkPlacement(
  provider: CloudProviderName,
  placement: Record<string, unknown>,
): ErrorDetail[] {
  const allowed = PLACEMENT_KEYS[provider];
  const problems: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(placement)) {
    const path = `placement.${key}`;
    if (!allowed.includes(key)) {
      problems.push({ path, message: `is not a placement field of ${provider} (${allowed.join(', ')})` });
    } else if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
      problems.push({ path, message: 'must be a string of 1-255 characters' });
    } else if (key === 'addressPool' && poolProblem(value)) {
      problems.push({ path, message: poolProblem(value)! });
    }
  }
  return problems;
}

/** One image per os + version: the planner picks by that pair. */
export function checkImages(images: readonly EnvironmentImage[]): ErrorDetail[] {
  const seen = new Set<string>();
  const problems: ErrorDetail[] = [];
  images.forEach((image, i) => {
    const key = `${image.os}\u0000${image.version}`;
    if (seen.has(key)) {
      problems.push({ path: `images.${i}`, message: `${image.os} ${image.version} is listed twice` });
    }
    seen.add(key);
  });
  return problems;
}

/** The region an environment gets when none is given: the account's. */
export function defaultRegion(account: CloudAccountEntity): string {
  const s = account.settings;
  const value = account.provider === 'vsphere' ? s.datacenter : s.region;
  return typeof value === 'string' ? value : '';
}
