import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { generateApiToken, hashApiToken, tokenHint } from '@switchyard/core/crypto';
import {
  SYSTEM_SCOPE,
  tenantOnly,
  UnitOfWork,
  type TenantEntity,
  type UserEntity,
} from '@switchyard/core/database';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { DEFAULT_TENANT } from '../tenants/default-tenant.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { TokensRepository } from '../tokens/tokens.repository.js';
import { UsersRepository } from '../users/users.repository.js';

const ADMIN_USER = 'admin';
// any constant shared by every Switchyard process: serialises bootstrap across API replicas
const BOOTSTRAP_LOCK = 0x5359_4400;

/**
 * First start: tenant `default` (which the fabric requires) holds the `admin` user and its
 * token. The token is printed once, or taken from SWITCHYARD_ADMIN_TOKEN when set.
 */
@Injectable()
export class AdminBootstrapService {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async run(): Promise<void> {
    const printed = await this.uow.runLocked(BOOTSTRAP_LOCK, async (em) => {
      const tenant = await this.ensureTenant(em);
      const { user, created } = await this.ensureAdmin(em, tenant);
      if (this.config.adminToken) {
        await this.ensureToken(em, user, this.config.adminToken, 'SWITCHYARD_ADMIN_TOKEN');
        return undefined;
      }
      if (!created) return undefined;
      const token = generateApiToken();
      await this.ensureToken(em, user, token, 'bootstrap');
      return token;
    });
    if (printed) {
      // stdout, not the JSON log: log pipelines keep lines, this must be seen once and only here
      process.stdout.write(
        `\n  Switchyard admin token (shown once, store it now):\n\n    ${printed}\n\n` +
          `  Use it as: Authorization: Bearer <token>\n\n`,
      );
    }
  }

  private async ensureTenant(em: EntityManager): Promise<TenantEntity> {
    const found = await this.tenants.findByName(SYSTEM_SCOPE, DEFAULT_TENANT, em);
    if (found) return found;
    const tenant = await this.tenants.insert(em, { name: DEFAULT_TENANT, displayName: 'Default tenant' });
    await this.audit.record(em, 'system', {
      tenantId: tenant.id,
      action: 'tenant.create',
      resourceType: 'tenant',
      resourceId: tenant.id,
      after: { name: tenant.name },
    });
    return tenant;
  }

  private async ensureAdmin(
    em: EntityManager,
    tenant: TenantEntity,
  ): Promise<{ user: UserEntity; created: boolean }> {
    const found = await this.users.findByName(tenantOnly(tenant.id), ADMIN_USER, em);
    if (found) return { user: found, created: false };
    const user = await this.users.insert(em, {
      tenantId: tenant.id,
      name: ADMIN_USER,
      role: 'admin',
      email: null,
    });
    await this.audit.record(em, 'system', {
      tenantId: tenant.id,
      action: 'user.create',
      resourceType: 'user',
      resourceId: user.id,
      after: { name: user.name, role: user.role },
    });
    return { user, created: true };
  }

  private async ensureToken(em: EntityManager, user: UserEntity, token: string, name: string): Promise<void> {
    const hash = hashApiToken(token);
    // any tenant's: a hash is unique everywhere
    const existing = await this.tokens.findByHash(SYSTEM_SCOPE, hash, em);
    if (existing) {
      if (existing.revokedAt) this.logger.warn(`the ${name} token was revoked; it stays revoked`);
      return;
    }
    const saved = await this.tokens.insert(em, {
      tenantId: user.tenantId,
      userId: user.id,
      name,
      role: 'admin',
      kind: 'api',
      tokenHash: hash,
      hint: tokenHint(token),
      expiresAt: null,
    });
    await this.audit.record(em, 'system', {
      tenantId: user.tenantId,
      action: 'token.create',
      resourceType: 'api-token',
      resourceId: saved.id,
      after: { name, role: 'admin', hint: saved.hint },
    });
  }
}
