import type { TenantEntity } from '@switchyard/core/database';
import type { TenantDto } from './tenants.dto.js';

export function toTenantDto(t: TenantEntity): TenantDto {
  return {
    id: t.id,
    name: t.name,
    displayName: t.displayName,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}
