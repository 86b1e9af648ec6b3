import type { CloudAccountEntity } from '@switchyard/core';
import type { CloudAccountDto } from './cloud-accounts.dto.js';

/** An account as the API shows it: masked credentials only, never the sealed data or its key id. */
export function toCloudAccountDto(a: CloudAccountEntity, withInventory = false): CloudAccountDto {
  const dto: CloudAccountDto = {
    id: a.id,
    tenantId: a.tenantId,
    name: a.name,
    provider: a.provider,
    description: a.description,
    simulated: a.simulated,
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
