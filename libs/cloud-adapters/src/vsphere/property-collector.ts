import { pollUntil, systemClock, type RetryClock } from '../adapter/retry.util.js';
import type { SoapClient } from './soap.client.js';
import { child, children, moRef, obj, text, xsiType, MoRef, type XmlNode } from './vim25-xml.js';
import { mapVsphereFault } from './vsphere-fault.mapper.js';

/** One object's properties, by property path. */
export interface ObjectContent {
  ref: MoRef;
  props: Map<string, XmlNode | string>;
}

function propertyFilter(type: string, paths: readonly string[], objectSpec: ReturnType<typeof obj>) {
  // PropertyFilterSpec: propSet, objectSet (WSDL order)
  return obj(undefined, [
    [
      'propSet',
      obj(undefined, [
        ['type', type],
        ['all', false],
        ['pathSet', paths],
      ]),
    ],
    ['objectSet', objectSpec],
  ]);
}

function toContents(returnval: XmlNode | string | undefined): { objects: ObjectContent[]; token?: string } {
  const objects = children(returnval, 'objects').flatMap((o) => {
    const ref = moRef(child(o, 'obj'));
    if (!ref) return [];
    const props = new Map<string, XmlNode | string>();
    for (const p of children(o, 'propSet')) {
      const name = text(child(p, 'name'));
      const val = child(p, 'val');
      if (name && val !== undefined) props.set(name, val);
    }
    return [{ ref, props }];
  });
  const token = text(child(returnval, 'token'));
  return token ? { objects, token } : { objects };
}

async function retrieveAll(soap: SoapClient, spec: ReturnType<typeof obj>): Promise<ObjectContent[]> {
  const { propertyCollector } = await soap.serviceContent();
  let page = toContents(
    await soap.call('RetrievePropertiesEx', propertyCollector, [
      ['specSet', spec],
      ['options', obj(undefined, [['maxObjects', 500]])],
    ]),
  );
  const all = [...page.objects];
  while (page.token) {
    page = toContents(
      await soap.call('ContinueRetrievePropertiesEx', propertyCollector, [['token', page.token]]),
    );
    all.push(...page.objects);
  }
  return all;
}

/** Properties of every object of `type` below the root folder, through a ContainerView. */
export async function retrieveByType(
  soap: SoapClient,
  type: string,
  paths: readonly string[],
): Promise<ObjectContent[]> {
  const { rootFolder, viewManager } = await soap.serviceContent();
  const viewNode = await soap.call('CreateContainerView', viewManager, [
    ['container', rootFolder],
    ['type', [type]],
    ['recursive', true],
  ]);
  const view = moRef(viewNode);
  if (!view) throw new Error('CreateContainerView returned no view');
  try {
    const traverse = obj('TraversalSpec', [
      ['name', 'traverseView'],
      ['type', 'ContainerView'],
      ['path', 'view'],
      ['skip', false],
    ]);
    const objectSpec = obj(undefined, [
      ['obj', view],
      ['skip', true],
      ['selectSet', [traverse]],
    ]);
    return await retrieveAll(soap, propertyFilter(type, paths, objectSpec));
  } finally {
    await soap.call('DestroyView', view, []).catch(() => undefined);
  }
}

/** Properties of one object; undefined when it does not exist. */
export async function retrieveOne(
  soap: SoapClient,
  ref: MoRef,
  paths: readonly string[],
): Promise<ObjectContent | undefined> {
  const objectSpec = obj(undefined, [
    ['obj', ref],
    ['skip', false],
  ]);
  const found = await retrieveAll(soap, propertyFilter(ref.type, paths, objectSpec));
  return found[0];
}

export interface TaskWaitOptions {
  timeoutMs?: number;
  clock?: RetryClock;
}

/**
 * Waits for a task through the PropertyCollector (queued → running → success | error) and
 * returns its result; a task error is mapped like any other fault.
 */
export async function waitForTask(
  soap: SoapClient,
  task: MoRef,
  options: TaskWaitOptions = {},
): Promise<XmlNode | string | undefined> {
  const info = await pollUntil(
    async () => {
      const content = await retrieveOne(soap, task, ['info']);
      const node = content?.props.get('info');
      const state = text(child(node, 'state'));
      return state === 'success' || state === 'error' ? node : undefined;
    },
    { provider: 'vsphere', description: `task ${task.value} completion` },
    { timeoutMs: options.timeoutMs ?? 600_000, initialDelayMs: 100, maxDelayMs: 2_000 },
    options.clock ?? systemClock,
  );
  if (text(child(info, 'state')) === 'error') {
    const error = child(info, 'error');
    const fault = child(error, 'fault');
    throw mapVsphereFault(xsiType(fault) ?? 'TaskError', text(child(error, 'localizedMessage')) ?? '');
  }
  return child(info, 'result');
}

/** Calls a `*_Task` method once and waits for it. */
export async function runTask(
  soap: SoapClient,
  method: string,
  target: MoRef,
  args: Parameters<SoapClient['call']>[2],
  options?: TaskWaitOptions,
): Promise<XmlNode | string | undefined> {
  // not retried here: the caller decides whether repeating the change is safe
  const task = moRef(await soap.call(method, target, args, false));
  if (!task) throw new Error(`${method} returned no task`);
  return waitForTask(soap, task, options);
}
