import type { UserEntity } from '@switchyard/core/database';
import type { UserDto } from './users.dto.js';

export function toUserDto(u: UserEntity, tenant: string): UserDto {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    tenant,
    hasPassword: u.passwordChangedAt !== null,
    createdAt: u.createdAt.toISOString(),
  };
}
