import type { EnvironmentDto } from './environments.dto.js';
import type { EnvironmentRow } from './environments.repository.js';

/** An environment as the API shows it; of its account only what members may know. */
export function toEnvironmentDto({ environment: e, account }: EnvironmentRow): EnvironmentDto {
  return {
    name: e.name,
    title: e.title,
    tenantId: e.tenantId,
    shared: e.shared,
    provider: account.provider,
    simulated: account.simulated,
    account: { id: account.id, name: account.name },
    region: e.region,
    placement: e.placement,
    images: e.images,
    priceList: e.priceList,
    tags: e.tags ?? [],
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
