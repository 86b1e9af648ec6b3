import type { CloudInstance, InstanceState } from '../adapter/cloud-adapter.js';
import type { ObjectContent } from './property-collector.js';
import { child, children, text, type XmlNode } from './vim25-xml.js';

// How Switchyard marks its VMs: extraConfig keys (tags as one JSON value keeps key syntax simple).
export const EXTRA_KEY = 'switchyard.idempotencyKey';
export const EXTRA_TAGS = 'switchyard.tags';
export const EXTRA_TYPE = 'switchyard.instanceType';
export const EXTRA_IMAGE = 'switchyard.image';
export const EXTRA_IP = 'switchyard.privateIp';

export const vmPaths = [
  'name',
  'config.template',
  'config.extraConfig',
  'runtime.powerState',
  'guest.ipAddress',
] as const;

export function extraConfigOf(node: XmlNode | string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of children(node, 'OptionValue')) {
    const key = text(child(option, 'key'));
    const value = text(child(option, 'value'));
    if (key !== undefined) out[key] = value ?? '';
  }
  return out;
}

const powerStates: Record<string, InstanceState> = {
  poweredOn: 'running',
  poweredOff: 'stopped',
  suspended: 'stopped',
};

/** A Switchyard VM as a CloudInstance; undefined for templates and VMs Switchyard did not create. */
export function toInstance(vm: ObjectContent): CloudInstance | undefined {
  if (text(vm.props.get('config.template')) === 'true') return undefined;
  const extra = extraConfigOf(vm.props.get('config.extraConfig'));
  if (extra[EXTRA_KEY] === undefined) return undefined;
  let tags: Record<string, string>;
  try {
    tags = JSON.parse(extra[EXTRA_TAGS] ?? '{}') as Record<string, string>;
  } catch {
    // edited by hand into something else: the VM is still ours (it has the key), just untagged
    tags = {};
  }
  // the address Switchyard assigned (applied by cloud-init from guestinfo) wins over what tools report
  const ip = extra[EXTRA_IP] || text(vm.props.get('guest.ipAddress'));
  return {
    id: vm.ref.value,
    name: text(vm.props.get('name')) ?? vm.ref.value,
    state: powerStates[text(vm.props.get('runtime.powerState')) ?? ''] ?? 'pending',
    ...(extra[EXTRA_TYPE] ? { instanceType: extra[EXTRA_TYPE] } : {}),
    ...(extra[EXTRA_IMAGE] ? { image: extra[EXTRA_IMAGE] } : {}),
    ...(ip ? { privateIp: ip } : {}),
    tags,
  };
}

export function idempotencyKeyOf(vm: ObjectContent): string | undefined {
  return extraConfigOf(vm.props.get('config.extraConfig'))[EXTRA_KEY];
}

/** cloud-init's VMware guestinfo datasource: user-data and network metadata, base64. */
export function guestinfo(
  name: string,
  userData: string | undefined,
  address: { ip: string; prefix: number } | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (userData) {
    out['guestinfo.userdata'] = Buffer.from(userData).toString('base64');
    out['guestinfo.userdata.encoding'] = 'base64';
  }
  const metadata: Record<string, unknown> = { 'local-hostname': name };
  if (address) {
    metadata.network = {
      version: 2,
      ethernets: { nic0: { match: { name: 'e*' }, addresses: [`${address.ip}/${address.prefix}`] } },
    };
  }
  out['guestinfo.metadata'] = Buffer.from(JSON.stringify(metadata)).toString('base64');
  out['guestinfo.metadata.encoding'] = 'base64';
  return out;
}
