import type { CloudAccountEntity, CloudOrphanEntity } from '@switchyard/core/database';
import type { CloudAccountDto, CloudOrphanDto } from './cloud-accounts.dto.js';

/** An account as the API shows it: masked credentials only, never the sealed data or its key id. */
export function toCloudAccountDto(a: CloudAccountEntity, withInventory = false): CloudAccountDto {
  const dto: CloudAccountDto = {
    id: a.id,
    tenantId: a.tenantId,
    name: a.name,
    provider: a.provider,
    description: a.description,
    simulated: a.simulated,
    removeOrphans: a.removeOrphans,
    settings: a.settings,
    maskedCredentials: a.maskedCredentials,
    lastTest: a.lastTest,
    inventoryCounts: a.inventory
      ? {
          regions: a.inventory.regions.length,
          instanceTypes: a.inventory.instanceTypes.length,
          images: a.inventory.images.length,
        }
      : null,
    syncedAt: a.syncedAt ? a.syncedAt.toISOString() : null,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
  if (withInventory) dto.inventory = a.inventory;
  return dto;
}

export function toCloudOrphanDto(o: CloudOrphanEntity): CloudOrphanDto {
  return {
    id: o.id,
    environment: o.environment,
    resourceId: o.cloudId,
    name: o.name,
    state: o.state,
    tags: o.tags,
    reason: o.reason,
    firstSeenAt: o.firstSeenAt.toISOString(),
    lastSeenAt: o.lastSeenAt.toISOString(),
    removedAt: o.removedAt?.toISOString() ?? null,
  };
}
