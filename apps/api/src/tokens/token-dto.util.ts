import type { ApiTokenEntity } from '@switchyard/core/database';
import type { TokenDto } from './tokens.dto.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toTokenDto(t: ApiTokenEntity): TokenDto {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    kind: t.kind,
    delegated: t.delegated,
    userId: t.userId,
    tenantId: t.tenantId,
    hint: t.hint,
    createdAt: t.createdAt.toISOString(),
    expiresAt: iso(t.expiresAt),
    revokedAt: iso(t.revokedAt),
    lastUsedAt: iso(t.lastUsedAt),
  };
}
