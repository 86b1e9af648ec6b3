import { NotFound } from '../adapter/cloud.exception.js';
import { retrieveByType, type ObjectContent } from './property-collector.js';
import type { SoapClient } from './soap.client.js';
import { moRef, text, type MoRef } from './vim25-xml.js';

/** Where new VMs go. */
export interface Placement {
  datacenter: string;
  folder: MoRef;
  pool: MoRef;
  datastore?: { ref: MoRef; name: string };
}

export interface PlacementNames {
  datacenter?: string;
  cluster?: string;
  folder?: string;
  datastore?: string;
}

function pick(items: ObjectContent[], name: string | undefined, kind: string): ObjectContent {
  const item = items.find((i) => !name || text(i.props.get('name')) === name);
  if (!item)
    throw new NotFound({
      provider: 'vsphere',
      cloudCode: 'NotFound',
      cloudMessage: `${kind} ${name ?? '(any)'} not found`,
    });
  return item;
}

/** Resolves the configured names (the first of each kind when unnamed) to managed objects. */
export async function resolvePlacement(soap: SoapClient, names: PlacementNames): Promise<Placement> {
  const dc = pick(
    await retrieveByType(soap, 'Datacenter', ['name', 'vmFolder']),
    names.datacenter,
    'datacenter',
  );
  const cluster = pick(
    await retrieveByType(soap, 'ComputeResource', ['name', 'resourcePool']),
    names.cluster,
    'cluster',
  );
  const folder = names.folder
    ? pick(await retrieveByType(soap, 'Folder', ['name']), names.folder, 'folder').ref
    : moRef(dc.props.get('vmFolder'));
  const pool = moRef(cluster.props.get('resourcePool'));
  if (!folder || !pool) {
    throw new NotFound({
      provider: 'vsphere',
      cloudCode: 'NotFound',
      cloudMessage: 'VM folder or resource pool not found',
    });
  }
  const stores = await retrieveByType(soap, 'Datastore', ['name']);
  const store = stores.find((s) => !names.datastore || text(s.props.get('name')) === names.datastore);
  return {
    datacenter: text(dc.props.get('name')) ?? dc.ref.value,
    folder,
    pool,
    ...(store
      ? { datastore: { ref: store.ref, name: text(store.props.get('name')) ?? store.ref.value } }
      : {}),
  };
}
