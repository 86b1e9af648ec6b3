import type { CreateInstanceRequest, InstanceType } from '../adapter/cloud-adapter.js';
import { NotFound } from '../adapter/cloud.exception.js';
import { runTask } from './property-collector.js';
import type { SoapClient } from './soap.client.js';
import { moRef, MoRef } from './vim25-xml.js';
import { EXTRA_IMAGE, EXTRA_IP, EXTRA_KEY, EXTRA_TAGS, EXTRA_TYPE, guestinfo } from './vsphere-inventory.js';
import type { Portgroup } from './vsphere-network.js';
import type { Placement } from './vsphere-placement.js';
import { cloneSpec, vmConfigSpec } from './vsphere-specs.js';

/** An image is a template VM, or `guest:<guestId>` for an empty VM created from scratch. */
export type VmSource = { template: string } | { guestId: string };

const GUEST_PREFIX = 'guest:';

export function parseImage(image: string): { guestId: string } | undefined {
  return image.startsWith(GUEST_PREFIX) ? { guestId: image.slice(GUEST_PREFIX.length) } : undefined;
}

/**
 * Makes the VM (clone of the template, or a new VM) in the placement's folder and pool, with the
 * size, a NIC on the port group, and Switchyard's marks in extraConfig; then powers it on.
 */
export async function provisionVm(
  soap: SoapClient,
  request: CreateInstanceRequest,
  source: VmSource,
  size: InstanceType,
  network: Portgroup,
  place: Placement,
): Promise<MoRef> {
  const prefix = Number(network.cidr.split('/')[1] ?? 24);
  const extraConfig = {
    [EXTRA_KEY]: request.idempotencyKey,
    [EXTRA_TAGS]: JSON.stringify(request.tags),
    [EXTRA_TYPE]: size.id,
    [EXTRA_IMAGE]: 'template' in source ? source.template : `${GUEST_PREFIX}${source.guestId}`,
    ...(request.privateIp ? { [EXTRA_IP]: request.privateIp } : {}),
    ...guestinfo(
      request.name,
      request.userData,
      request.privateIp ? { ip: request.privateIp, prefix } : undefined,
    ),
  };
  const hardware = {
    numCPUs: size.cpu,
    memoryMB: size.memoryMiB,
    nic: { switchUuid: network.switchUuid, portgroupKey: network.key },
  };
  let vm: MoRef | undefined;
  if ('template' in source) {
    vm = moRef(
      await runTask(soap, 'CloneVM_Task', new MoRef('VirtualMachine', source.template), [
        ['folder', place.folder],
        ['name', request.name],
        [
          'spec',
          cloneSpec(
            { folder: place.folder, pool: place.pool },
            { numCPUs: size.cpu, memoryMB: size.memoryMiB, extraConfig },
          ),
        ],
      ]),
    );
    // size and NIC again after the clone: some servers (vcsim) copy the template's hardware
    if (vm) await runTask(soap, 'ReconfigVM_Task', vm, [['spec', vmConfigSpec(hardware)]]);
  } else {
    if (!place.datastore) {
      throw new NotFound({
        provider: 'vsphere',
        cloudCode: 'NotFound',
        cloudMessage: 'no datastore for a new VM',
      });
    }
    vm = moRef(
      await runTask(soap, 'CreateVM_Task', place.folder, [
        [
          'config',
          vmConfigSpec({
            name: request.name,
            guestId: source.guestId,
            datastorePath: `[${place.datastore.name}]`,
            ...hardware,
            extraConfig,
          }),
        ],
        ['pool', place.pool],
      ]),
    );
  }
  if (!vm)
    throw new NotFound({
      provider: 'vsphere',
      cloudCode: 'NotFound',
      cloudMessage: 'the VM task returned no VM',
    });
  await runTask(soap, 'PowerOnVM_Task', vm, []);
  return vm;
}
