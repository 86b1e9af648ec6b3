import { FieldChecker } from '../http/fields.js';
import { isHostIn, parseCidr } from '../networks/ipv4.js';
import { parseUserData, type BootConfig } from '../sandbox/user-data.js';
import type { NetworkRecord } from '../state/records.js';
import { IMAGES, findInstanceType } from './instance-types.js';

export interface InstanceRequest {
  idempotencyKey: string;
  name: string;
  instanceType: string;
  image: string;
  network: string;
  privateIp: string;
  userData?: string;
  tags: Record<string, string>;
  runAsRoot: boolean;
  boot: BootConfig;
}

const IPV4 =
  /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;
const KNOWN = [
  'idempotencyKey',
  'name',
  'instanceType',
  'image',
  'network',
  'privateIp',
  'userData',
  'tags',
  'runAsRoot',
];

/** Checks `POST /v1/instances`; a 400 names every bad field (user-data problems by their YAML path). */
export function readInstanceBody(
  body: unknown,
  networks: ReadonlyMap<string, NetworkRecord>,
): InstanceRequest {
  const f = new FieldChecker();
  const b = f.object('body', body) ?? {};
  f.noOthers('', b, KNOWN);
  const idempotencyKey = f.string('idempotencyKey', b.idempotencyKey, {
    max: 128,
    pattern: /^[\x21-\x7e]+$/,
    rule: 'must be printable ASCII',
  });
  const name = f.string('name', b.name, {
    max: 63,
    pattern: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
    rule: 'must be a hostname label (letters, digits, inner -)',
  });
  const instanceType = f.string('instanceType', b.instanceType, { max: 32 });
  if (instanceType && !findInstanceType(instanceType))
    f.add('instanceType', 'is not an instance type of this host (GET /v1/host)');
  const image = f.string('image', b.image, { max: 64 });
  if (image && !IMAGES.some((i) => i.id === image))
    f.add('image', 'is not an image of this host (GET /v1/host)');
  const network = f.string('network', b.network, { max: 64 });
  const net = network ? networks.get(network) : undefined;
  if (network && !net) f.add('network', 'is not a network of this host (PUT /v1/networks/{name} first)');
  const privateIp = f.string('privateIp', b.privateIp, {
    max: 15,
    pattern: IPV4,
    rule: 'must be an IPv4 address',
  });
  if (privateIp && net && (!isHostIn(privateIp, parseCidr(net.cidr)) || privateIp === net.gateway)) {
    f.add('privateIp', `must be a host address of ${net.cidr} other than its gateway`);
  }
  const tags: Record<string, string> = {};
  const t = b.tags === undefined ? {} : f.object('tags', b.tags);
  if (t) {
    const entries = Object.entries(t);
    if (entries.length > 50) f.add('tags', 'has more than 50 tags');
    for (const [k, v] of entries.slice(0, 50)) {
      if (k.length === 0 || k.length > 128) f.add(`tags.${k.slice(0, 128)}`, 'key must be 1-128 characters');
      else if (typeof v !== 'string' || v.length > 256)
        f.add(`tags.${k}`, 'must be a string of at most 256 characters');
      else tags[k] = v;
    }
  }
  if (b.runAsRoot !== undefined && typeof b.runAsRoot !== 'boolean')
    f.add('runAsRoot', 'must be true or false');
  let boot: BootConfig | undefined = { writeFiles: [], runcmd: [], packages: [], ignored: [] };
  if (b.userData !== undefined) {
    if (typeof b.userData !== 'string') f.add('userData', 'must be a string');
    else {
      const parsed = parseUserData(b.userData);
      parsed.problems.forEach((p) => f.add(p.path, p.message));
      boot = parsed.config;
    }
  }
  f.done();
  return {
    idempotencyKey: idempotencyKey!,
    name: name!,
    instanceType: instanceType!,
    image: image!,
    network: network!,
    privateIp: privateIp!,
    userData: b.userData as string | undefined,
    tags,
    runAsRoot: b.runAsRoot === true,
    boot: boot!,
  };
}
