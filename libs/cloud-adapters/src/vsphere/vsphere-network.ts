import type { CloudNetwork, NetworkSpec } from '../adapter/cloud-adapter.js';
import { CloudErrorCode, InUse, InvalidRequest, NotFound, isCloudError } from '../adapter/cloud.exception.js';
import { retrieveByType, retrieveOne, runTask, type ObjectContent } from './property-collector.js';
import type { SoapClient } from './soap.client.js';
import { child, children, moRef, text } from './vim25-xml.js';
import { portgroupSpec } from './vsphere-specs.js';

/** A distributed port group, with what a NIC backing needs to join it. */
export interface Portgroup extends CloudNetwork {
  key: string;
  switchUuid: string;
}

// vSphere has no IPAM: the CIDR Switchyard planned lives in the port group's description
const CIDR_PREFIX = 'switchyard:cidr=';

const notFound = (message: string) =>
  new NotFound({ provider: 'vsphere', cloudCode: 'NotFound', cloudMessage: message });

async function portgroups(soap: SoapClient): Promise<ObjectContent[]> {
  return retrieveByType(soap, 'DistributedVirtualPortgroup', [
    'name',
    'key',
    'config.description',
    'config.defaultPortConfig',
    'config.distributedVirtualSwitch',
  ]);
}

async function toPortgroup(soap: SoapClient, pg: ObjectContent): Promise<Portgroup> {
  const description = text(pg.props.get('config.description')) ?? '';
  const vlan = Number(text(child(child(pg.props.get('config.defaultPortConfig'), 'vlan'), 'vlanId')));
  const dvsRef = moRef(pg.props.get('config.distributedVirtualSwitch'));
  const dvs = dvsRef ? await retrieveOne(soap, dvsRef, ['uuid']) : undefined;
  return {
    id: pg.ref.value,
    name: text(pg.props.get('name')) ?? pg.ref.value,
    cidr: description.startsWith(CIDR_PREFIX) ? description.slice(CIDR_PREFIX.length) : '',
    ...(Number.isInteger(vlan) && vlan > 0 ? { vlan } : {}),
    key: text(pg.props.get('key')) ?? pg.ref.value,
    switchUuid: text(dvs?.props.get('uuid')) ?? '',
  };
}

export async function portgroupById(soap: SoapClient, id: string): Promise<Portgroup> {
  const pg = (await portgroups(soap)).find((p) => p.ref.value === id);
  if (!pg) throw notFound(`port group ${id} not found`);
  return toPortgroup(soap, pg);
}

async function portgroupByName(soap: SoapClient, name: string): Promise<Portgroup | undefined> {
  const pg = (await portgroups(soap)).find((p) => text(p.props.get('name')) === name);
  return pg && toPortgroup(soap, pg);
}

/** Finds the port group named by the spec or adds it (with its VLAN) to the distributed switch. */
export async function ensurePortgroup(
  soap: SoapClient,
  spec: NetworkSpec,
  switchName: string | undefined,
): Promise<Portgroup> {
  const existing = await portgroupByName(soap, spec.name);
  if (existing) return sameCidr(existing, spec);
  // DistributedVirtualSwitch also finds VmwareDistributedVirtualSwitch, its subtype
  const switches = await retrieveByType(soap, 'DistributedVirtualSwitch', ['name']);
  const dvs = switches.find((s) => !switchName || text(s.props.get('name')) === switchName);
  if (!dvs) throw notFound(`distributed switch ${switchName ?? '(any)'} not found`);
  await runTask(soap, 'AddDVPortgroup_Task', dvs.ref, [
    ['spec', [portgroupSpec(spec.name, `${CIDR_PREFIX}${spec.cidr}`, spec.vlan)]],
  ]).catch((error: unknown) => {
    // made since the look-up (another worker, a step resumed after a crash): found below
    if (!(isCloudError(error) && error.cloudCode === 'DuplicateName')) throw error;
  });
  const created = await portgroupByName(soap, spec.name);
  if (!created) throw notFound(`port group ${spec.name} vanished after create`);
  return sameCidr(created, spec);
}

function sameCidr(found: Portgroup, spec: NetworkSpec): Portgroup {
  if (found.cidr === spec.cidr) return found;
  throw new InvalidRequest({
    provider: 'vsphere',
    cloudCode: 'NetworkCidrMismatch',
    cloudMessage: `port group ${spec.name} exists with ${found.cidr}, not ${spec.cidr}`,
  });
}

/**
 * Destroys a port group `ensurePortgroup` made. A gone one counts as deleted; one without
 * Switchyard's CIDR mark is refused (port groups are often shared). VMs still on it make it InUse:
 * looked up first (vcsim destroys it regardless), and vCenter's own ResourceInUse maps the same.
 */
export async function deletePortgroup(soap: SoapClient, id: string): Promise<void> {
  const pg = (await portgroups(soap)).find((p) => p.ref.value === id);
  if (!pg) return;
  const name = text(pg.props.get('name')) ?? id;
  if (!(text(pg.props.get('config.description')) ?? '').startsWith(CIDR_PREFIX)) {
    throw new InvalidRequest({
      provider: 'vsphere',
      cloudCode: 'NotManaged',
      cloudMessage: `port group ${name} was not made by Switchyard; it is left alone`,
    });
  }
  // a NIC names its port group by key, which vCenter makes equal to the object id
  const refs = new Set([id, text(pg.props.get('key')) ?? id]);
  const vms = await retrieveByType(soap, 'VirtualMachine', ['name', 'network']);
  const users = vms.filter((vm) =>
    children(vm.props.get('network'), 'ManagedObjectReference').some((n) => {
      const ref = moRef(n);
      return ref?.type === 'DistributedVirtualPortgroup' && refs.has(ref.value);
    }),
  );
  if (users.length > 0) {
    const names = users.map((vm) => text(vm.props.get('name')) ?? vm.ref.value).join(', ');
    throw new InUse({
      provider: 'vsphere',
      cloudCode: 'ResourceInUse',
      cloudMessage: `port group ${name} is in use by VMs ${names}`,
    });
  }
  try {
    await runTask(soap, 'Destroy_Task', pg.ref, []);
  } catch (error) {
    if (!(isCloudError(error) && error.code === CloudErrorCode.NotFound)) throw error;
  }
}
