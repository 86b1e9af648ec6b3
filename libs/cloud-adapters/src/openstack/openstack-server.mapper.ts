import type { CloudInstance, InstanceState } from '../adapter/cloud-adapter.js';

/** Server metadata keys Switchyard keeps for itself. */
export const META_IDEMPOTENCY_KEY = 'switchyard:idempotency-key';
export const META_PORT = 'switchyard:port';

export interface NovaServer {
  id: string;
  name: string;
  status: string;
  'OS-EXT-STS:task_state'?: string | null;
  flavor?: { original_name?: string; id?: string };
  image?: { id?: string } | string;
  addresses?: Record<string, Array<{ addr: string; version: number }>>;
  metadata?: Record<string, string>;
}

const statusMap: Record<string, InstanceState> = {
  BUILD: 'pending',
  ACTIVE: 'running',
  SHUTOFF: 'stopped',
  SUSPENDED: 'stopped',
  PAUSED: 'stopped',
  REBOOT: 'rebooting',
  HARD_REBOOT: 'rebooting',
  DELETED: 'terminated',
  SOFT_DELETED: 'terminated',
  ERROR: 'error',
};

export function toInstance(s: NovaServer): CloudInstance {
  const task = s['OS-EXT-STS:task_state'];
  let state = statusMap[s.status] ?? 'pending';
  if (task === 'deleting') state = 'terminating';
  else if (task === 'powering-off' && state === 'running') state = 'stopping';
  const ip = Object.values(s.addresses ?? {})
    .flat()
    .find((a) => a.version === 4)?.addr;
  const { [META_IDEMPOTENCY_KEY]: _key, [META_PORT]: _port, ...tags } = s.metadata ?? {};
  const image = typeof s.image === 'object' ? s.image.id : undefined;
  // microversion 2.47 embeds the flavor; its name is what callers asked for
  const flavor = s.flavor?.original_name ?? s.flavor?.id;
  return {
    id: s.id,
    name: s.name,
    state,
    ...(flavor ? { instanceType: flavor } : {}),
    ...(image ? { image } : {}),
    ...(ip ? { privateIp: ip } : {}),
    tags,
  };
}

/** The query part of a "next" link, so paging stays on the configured endpoint. */
export function nextQuery(links: Array<{ rel: string; href: string }> | undefined): string | undefined {
  const href = links?.find((l) => l.rel === 'next')?.href;
  return href ? new URL(href).search : undefined;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
