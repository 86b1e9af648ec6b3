import { Inject, Injectable } from '@nestjs/common';
import { checkAccountFields, maskCredentials, type FieldProblem } from '@switchyard/cloud-adapters';
import {
  isForeignKeyViolation,
  isUniqueViolation,
  UnitOfWork,
  type CloudAccountEntity,
  type CloudProviderName,
  type TenantScope,
} from '@switchyard/core/database';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { mapPage, type Page } from '../common/pagination.js';
import { toCloudAccountDto, toCloudOrphanDto } from './cloud-account-dto.util.js';
import type {
  CloudAccountDto,
  CloudAccountQuery,
  CloudOrphanDto,
  CloudOrphanQuery,
  CreateCloudAccountDto,
  UpdateCloudAccountDto,
} from './cloud-accounts.dto.js';
import { CloudAccountsRepository } from './cloud-accounts.repository.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { CloudSecretsService } from './cloud-secrets.service.js';

/** What an account is made of, whoever creates it (a caller, or the demo seeding). */
export interface CloudAccountInput {
  name: string;
  provider: CloudProviderName;
  description?: string;
  settings: Record<string, unknown>;
  credentials: Record<string, unknown>;
  simulated?: boolean;
  removeOrphans?: boolean;
}

function invalidFields(problems: FieldProblem[]): AppException {
  return AppException.invalid(problems, 'The cloud account is invalid');
}

/** Cloud accounts: credentials sealed at rest and write-only; every change audited (masked). */
@Injectable()
export class CloudAccountsService {
  constructor(
    @Inject(CloudAccountsRepository) private readonly repo: CloudAccountsRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(CloudSecretsService) private readonly secrets: CloudSecretsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async create(caller: Principal, dto: CreateCloudAccountDto): Promise<CloudAccountDto> {
    return this.uow.run((em) => this.insert(em, caller, caller.tenantId, dto));
  }

  /** Inserts an account into `tenantId` in `em`'s transaction (shared with the demo seeding). */
  async insert(
    em: EntityManager,
    actor: Principal | 'system',
    tenantId: string,
    input: CloudAccountInput,
  ): Promise<CloudAccountDto> {
    const problems = checkAccountFields(input.provider, input.settings, input.credentials);
    if (problems.length > 0) throw invalidFields(problems);
    const id = randomUUID();
    const sealed = this.secrets.seal(id, input.credentials);
    const entity = this.repo.create(em, {
      id,
      tenantId,
      name: input.name.trim(),
      provider: input.provider,
      description: input.description ?? '',
      simulated: input.simulated ?? false,
      removeOrphans: input.removeOrphans ?? false,
      settings: input.settings,
      secretKeyId: sealed.keyId,
      secretData: sealed.data,
      maskedCredentials: maskCredentials(input.provider, input.credentials),
      lastTest: null,
      inventory: null,
      syncedAt: null,
    });
    const saved = await this.saveNamed(em, entity);
    const after = toCloudAccountDto(saved);
    await this.audit.record(em, actor, {
      tenantId,
      action: 'cloud-account.create',
      resourceType: 'cloud-account',
      resourceId: saved.id,
      after,
    });
    return after;
  }

  async list(caller: Principal, query: CloudAccountQuery): Promise<Page<CloudAccountDto>> {
    const page = await this.repo.list(tenantScope(caller), query, query.cursor, query.limit);
    return mapPage(page, (a) => toCloudAccountDto(a));
  }

  async get(caller: Principal, id: string): Promise<CloudAccountDto> {
    return toCloudAccountDto(await this.require(tenantScope(caller), id), true);
  }

  /** The stored account, or 404 (also for another tenant's). */
  async require(
    scope: TenantScope,
    id: string,
    em?: EntityManager,
    lock = false,
  ): Promise<CloudAccountEntity> {
    const account = await this.repo.find(scope, id, em, lock);
    if (!account) throw AppException.notFound(`cloud account ${id}`);
    return account;
  }

  async update(caller: Principal, id: string, dto: UpdateCloudAccountDto): Promise<CloudAccountDto> {
    return this.uow.run(async (em) => {
      const account = await this.require(tenantScope(caller), id, em, true);
      const before = toCloudAccountDto(account);
      const settings = dto.settings ? mergeSettings(account.settings, dto.settings) : account.settings;
      // without new credentials only the settings are checked: the stored ones stay sealed
      const problems = checkAccountFields(account.provider, settings, dto.credentials ?? {}).filter(
        (p) => dto.credentials !== undefined || !p.path.startsWith('credentials'),
      );
      if (problems.length > 0) throw invalidFields(problems);
      if (dto.credentials) {
        const sealed = this.secrets.seal(account.id, dto.credentials);
        account.secretKeyId = sealed.keyId;
        account.secretData = sealed.data;
        account.maskedCredentials = maskCredentials(account.provider, dto.credentials);
        // a verdict about other credentials says nothing about these
        account.lastTest = null;
      }
      if (dto.settings) account.settings = settings;
      if (dto.name !== undefined) account.name = dto.name.trim();
      if (dto.description !== undefined) account.description = dto.description;
      if (dto.simulated !== undefined) account.simulated = dto.simulated;
      if (dto.removeOrphans !== undefined) account.removeOrphans = dto.removeOrphans;
      const saved = await this.saveNamed(em, account);
      const after = toCloudAccountDto(saved);
      await this.audit.record(em, caller, {
        tenantId: account.tenantId,
        action: 'cloud-account.update',
        resourceType: 'cloud-account',
        resourceId: account.id,
        before,
        after: { ...after, credentialsReplaced: dto.credentials !== undefined },
      });
      return after;
    });
  }

  /** What the reconciler found on the account that no deployment owns; present ones unless `all`. */
  async orphans(caller: Principal, id: string, query: CloudOrphanQuery): Promise<Page<CloudOrphanDto>> {
    const scope = tenantScope(caller);
    const account = await this.require(scope, id);
    const page = await this.repo.orphans(scope, account.id, query, query.cursor, query.limit);
    return mapPage(page, toCloudOrphanDto);
  }

  async remove(caller: Principal, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      const account = await this.require(tenantScope(caller), id, em, true);
      const users = await this.repo.environmentsUsing(em, account);
      if (users.length > 0) throw inUse(account.name, users);
      try {
        await this.repo.delete(em, account);
      } catch (err) {
        // an environment created meanwhile in another transaction
        if (isForeignKeyViolation(err)) throw inUse(account.name, []);
        throw err;
      }
      await this.audit.record(em, caller, {
        tenantId: account.tenantId,
        action: 'cloud-account.delete',
        resourceType: 'cloud-account',
        resourceId: account.id,
        before: toCloudAccountDto(account),
      });
    });
  }

  private async saveNamed(em: EntityManager, entity: CloudAccountEntity): Promise<CloudAccountEntity> {
    try {
      return await this.repo.save(em, entity);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw AppException.conflict(`A cloud account named "${entity.name}" already exists in the tenant`, [
          { path: 'name', message: 'is taken' },
        ]);
      }
      throw err;
    }
  }
}

function inUse(name: string, environments: string[]): AppException {
  const list = environments.length ? `: ${environments.join(', ')}` : '';
  return AppException.conflict(
    `Cloud account "${name}" is used by environments${list}; delete them or point them at another account first`,
    environments.map((e) => ({ path: `environments.${e}`, message: 'uses this account' })),
  );
}

/** JSON merge patch of the settings: a field set to null is removed. */
function mergeSettings(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
