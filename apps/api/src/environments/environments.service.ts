import { Inject, Injectable } from '@nestjs/common';
import {
  inScope,
  isForeignKeyViolation,
  isUniqueViolation,
  UnitOfWork,
  type CloudAccountEntity,
  type EnvironmentEntity,
  type PriceList,
  type TenantScope,
} from '@switchyard/core/database';
import type { EntityManager } from 'typeorm';
import { EntitlementsService } from '../governance/entitlements/entitlements.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException, ErrorCode, type ErrorDetail } from '../common/app.exception.js';
import { mapPage, type Page } from '../common/pagination.js';
import { AWS_PRICE_REGIONS, defaultAwsPriceList } from './aws-price-list.util.js';
import { CloudAccountsRepository } from '../cloud-accounts/cloud-accounts.repository.js';
import { toEnvironmentDto } from './environment-dto.util.js';
import { checkImages, checkPlacement, defaultRegion } from './environment-fields.util.js';
import { checkPriceList, toPriceList } from './environment-prices.util.js';
import type {
  CreateEnvironmentDto,
  EnvironmentDto,
  EnvironmentQuery,
  PriceListDto,
  UpdateEnvironmentDto,
} from './environments.dto.js';
import { EnvironmentsRepository, type EnvironmentRow } from './environments.repository.js';

const SHARED_RULE = 'only admins may share an environment with every tenant';

/** Environments: named deployment targets (account + region + placement + images + prices). */
@Injectable()
export class EnvironmentsService {
  constructor(
    @Inject(EnvironmentsRepository) private readonly repo: EnvironmentsRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(CloudAccountsRepository) private readonly accounts: CloudAccountsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(EntitlementsService) private readonly entitlements: EntitlementsService,
  ) {}

  async create(caller: Principal, dto: CreateEnvironmentDto): Promise<EnvironmentDto> {
    const scope = tenantScope(caller);
    // sharing with every tenant takes a scope of every tenant
    if (dto.shared && !scope.anyTenant) throw new AppException(ErrorCode.Forbidden, SHARED_RULE);
    return this.uow.run(async (em) => {
      const account = await this.accounts.find(scope, dto.account, em);
      return this.insert(em, caller, account, dto);
    });
  }

  /** Inserts in the account's tenant (an admin may create one for any tenant's account). */
  async insert(
    em: EntityManager,
    actor: Principal | 'system',
    account: CloudAccountEntity | null,
    dto: CreateEnvironmentDto,
  ): Promise<EnvironmentDto> {
    const problems: ErrorDetail[] = [];
    if (!account) problems.push({ path: 'account', message: 'is not a cloud account of your tenant' });
    problems.push(...checkImages(dto.images));
    if (account) problems.push(...checkPlacement(account.provider, dto.placement ?? {}));
    const region = dto.region ?? (account ? defaultRegion(account) : '');
    const priceList = account ? this.priceList(account, region, dto.priceList, problems) : undefined;
    if (problems.length > 0 || !account || !priceList) {
      throw AppException.invalid(problems, 'The environment is invalid');
    }
    const entity = this.repo.create(em, {
      tenantId: account.tenantId,
      name: dto.name,
      title: dto.title ?? '',
      shared: dto.shared ?? false,
      accountId: account.id,
      region,
      placement: dto.placement ?? {},
      images: dto.images.map(({ os, version, imageId }) => ({ os, version, imageId })),
      priceList,
      tags: [...new Set(dto.tags ?? [])],
    });
    const saved = await this.saveNamed(em, entity);
    const after = toEnvironmentDto({ environment: saved, account });
    await this.audit.record(em, actor, {
      tenantId: account.tenantId,
      action: 'environment.create',
      resourceType: 'environment',
      resourceId: saved.id,
      after,
    });
    return after;
  }

  async list(caller: Principal, query: EnvironmentQuery): Promise<Page<EnvironmentDto>> {
    const entitled = await this.entitlements.environmentFilter(caller);
    const page = await this.repo.list(tenantScope(caller), query.cursor, query.limit, entitled);
    return mapPage(page, toEnvironmentDto);
  }

  async get(caller: Principal, name: string): Promise<EnvironmentDto> {
    return toEnvironmentDto(await this.resolve(tenantScope(caller), name));
  }

  /** The environment of this name the scope uses (its own before a shared one), or 404. */
  async resolve(scope: TenantScope, name: string, em?: EntityManager): Promise<EnvironmentRow> {
    const row = (await this.repo.findVisible(scope, [name], em)).get(name);
    if (!row) throw AppException.notFound(`environment ${name}`);
    return row;
  }

  async update(caller: Principal, name: string, dto: UpdateEnvironmentDto): Promise<EnvironmentDto> {
    const scope = tenantScope(caller);
    if (dto.shared !== undefined && !scope.anyTenant) {
      throw new AppException(ErrorCode.Forbidden, SHARED_RULE);
    }
    return this.uow.run(async (em) => {
      const row = this.writable(scope, await this.resolve(scope, name, em));
      const { environment: env, account } = row;
      const before = toEnvironmentDto(row);
      const problems: ErrorDetail[] = [
        ...checkImages(dto.images ?? []),
        ...checkPlacement(account.provider, dto.placement ?? {}),
      ];
      const region = dto.region ?? env.region;
      const priceList = dto.priceList
        ? this.priceList(account, region, dto.priceList, problems)
        : env.priceList;
      if (problems.length > 0 || !priceList)
        throw AppException.invalid(problems, 'The environment is invalid');
      if (dto.title !== undefined) env.title = dto.title;
      if (dto.region !== undefined) env.region = dto.region;
      if (dto.placement !== undefined) env.placement = dto.placement;
      if (dto.images !== undefined)
        env.images = dto.images.map(({ os, version, imageId }) => ({ os, version, imageId }));
      if (dto.shared !== undefined) env.shared = dto.shared;
      if (dto.tags !== undefined) env.tags = [...new Set(dto.tags)];
      env.priceList = priceList;
      const saved = await this.saveNamed(em, env);
      const after = toEnvironmentDto({ environment: saved, account });
      await this.audit.record(em, caller, {
        tenantId: env.tenantId,
        action: 'environment.update',
        resourceType: 'environment',
        resourceId: env.id,
        before,
        after,
      });
      return after;
    });
  }

  async remove(caller: Principal, name: string): Promise<void> {
    const scope = tenantScope(caller);
    await this.uow.run(async (em) => {
      const row = this.writable(scope, await this.resolve(scope, name, em));
      try {
        await this.repo.delete(em, row.environment);
      } catch (err) {
        if (isForeignKeyViolation(err)) {
          throw AppException.conflict(`Environment ${name} is still in use (deployments refer to it)`);
        }
        throw err;
      }
      await this.audit.record(em, caller, {
        tenantId: row.environment.tenantId,
        action: 'environment.delete',
        resourceType: 'environment',
        resourceId: row.environment.id,
        before: toEnvironmentDto(row),
      });
    });
  }

  // A shared environment of another tenant is visible to everyone but changed only by admins.
  private writable(scope: TenantScope, row: EnvironmentRow): EnvironmentRow {
    if (!inScope(scope, row.environment.tenantId)) {
      throw new AppException(
        ErrorCode.Forbidden,
        `environment ${row.environment.name} is shared; admins manage it`,
      );
    }
    return row;
  }

  private async saveNamed(em: EntityManager, entity: EnvironmentEntity): Promise<EnvironmentEntity> {
    try {
      return await this.repo.save(em, entity);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw AppException.conflict(`An environment named "${entity.name}" already exists in the tenant`, [
          { path: 'name', message: 'is taken' },
        ]);
      }
      throw err;
    }
  }

  private priceList(
    account: CloudAccountEntity,
    region: string,
    dto: PriceListDto | undefined,
    problems: ErrorDetail[],
  ): PriceList | undefined {
    if (dto) {
      const found = checkPriceList(dto);
      problems.push(...found);
      return found.length === 0 ? toPriceList(dto) : undefined;
    }
    if (account.provider === 'aws-ec2') {
      const shipped = defaultAwsPriceList(region);
      if (shipped) return shipped;
      problems.push({
        path: 'priceList',
        message: `is required: the shipped AWS price table covers ${AWS_PRICE_REGIONS.join(', ')}, not "${region}"`,
      });
      return undefined;
    }
    problems.push({
      path: 'priceList',
      message: `is required for ${account.provider} (a list or a rateCard)`,
    });
    return undefined;
  }
}
