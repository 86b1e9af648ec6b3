import { Inject, Injectable } from '@nestjs/common';
import {
  type FabricObjectMap,
  FabricError,
  FabricErrorCode,
  FabricService,
  type Inspection,
  isClusterKind,
  objectKey,
} from '@switchyard/network-fabric';
import { UnitOfWork } from '@switchyard/core/database';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';
import { checkBodyKey, kindOfCollection, type ObjectRef, objectRef, withKey } from './contiv-key.util.js';
import { assertMayChange, assertMayManageTenants, assertVisible } from './fabric-access.util.js';

type ContivObject = { key: string } & object;

/**
 * Contiv's REST model over the fabric library, for one caller: tenant scoping, roles, the key
 * rule, and an audit entry in the same transaction as every change.
 */
@Injectable()
export class ContivObjectsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(FabricService) private readonly fabric: FabricService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** A change in one transaction; then this process's verdicts forget what they held. */
  private async change<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } finally {
      this.fabric.changedLocally();
    }
  }

  async list(caller: Principal, collection: string): Promise<ContivObject[]> {
    const kind = kindOfCollection(collection);
    const objects: object[] =
      tenantScope(caller).anyTenant || isClusterKind(kind)
        ? await this.fabric.listAll(kind)
        : await this.fabric.list(kind, caller.tenantName);
    return objects.map((o) => withKey(kind, objectKey(kind, o as FabricObjectMap[typeof kind]), o));
  }

  async get(caller: Principal, collection: string, key: string): Promise<ContivObject> {
    const ref = this.visibleRef(caller, collection, key);
    return withKey(ref.kind, ref.key, await this.fabric.get(ref.kind, ref.tenant, ref.name));
  }

  async inspect(caller: Principal, collection: string, key: string): Promise<Inspection<ContivObject>> {
    const ref = this.visibleRef(caller, collection, key);
    const found = await this.fabric.inspect(ref.kind, ref.tenant, ref.name);
    return { Config: withKey(ref.kind, ref.key, found.Config), Oper: found.Oper };
  }

  /** POST and PUT alike: create, update, or nothing when the body equals the stored object. */
  async apply(caller: Principal, collection: string, key: string, body: unknown): Promise<ContivObject> {
    const ref = objectRef(collection, key);
    // Role checks come first: they reveal nothing about other tenants' objects.
    assertMayChange(caller, ref.kind);
    if (ref.kind === 'tenant' && ref.tenant !== caller.tenantName) assertMayManageTenants(caller);
    this.assertRefVisible(caller, ref);
    checkBodyKey(ref, body);
    return this.change(async (em) => {
      const before = await this.current(ref, em);
      if (ref.kind === 'tenant' && !before) this.checkNewTenant(caller, ref.tenant);
      const result = await this.fabric.apply(ref.kind, ref.tenant, body, em);
      if (result.changed) {
        await this.record(em, caller, ref, result.created ? 'create' : 'update', before, result.object);
      }
      return withKey(ref.kind, ref.key, result.object);
    });
  }

  async delete(caller: Principal, collection: string, key: string): Promise<void> {
    const ref = objectRef(collection, key);
    assertMayChange(caller, ref.kind);
    if (ref.kind === 'tenant') assertMayManageTenants(caller);
    this.assertRefVisible(caller, ref);
    await this.change(async (em) => {
      const before = await this.fabric.get(ref.kind, ref.tenant, ref.name, em);
      await this.fabric.delete(ref.kind, ref.tenant, ref.name, em);
      await this.record(em, caller, ref, 'delete', before, null);
    });
  }

  private visibleRef(caller: Principal, collection: string, key: string): ObjectRef {
    const ref = objectRef(collection, key);
    this.assertRefVisible(caller, ref);
    return ref;
  }

  private assertRefVisible(caller: Principal, ref: ObjectRef): void {
    if (!isClusterKind(ref.kind)) assertVisible(caller, ref.tenant, `${ref.kind} "${ref.key}"`);
  }

  private async current(ref: ObjectRef, em: EntityManager): Promise<object | null> {
    try {
      return await this.fabric.get(ref.kind, ref.tenant, ref.name, em);
    } catch (error) {
      if (error instanceof FabricError && error.code === FabricErrorCode.NotFound) return null;
      throw error;
    }
  }

  // A fabric tenant is a Switchyard tenant: only admins add one, and its name must also be one
  // people can use everywhere else in Switchyard (lowercase, no dots).
  private checkNewTenant(caller: Principal, name: string): void {
    assertMayManageTenants(caller);
    if (!NAME_PATTERN.test(name)) throw FabricError.invalid([{ path: 'tenantName', message: NAME_RULE }]);
  }

  // Audit rows belong to the caller's tenant (for non-admins, the object's tenant): rows filed
  // under the object's tenant would keep a tenant an admin set up from ever being deleted.
  private async record(
    em: EntityManager,
    caller: Principal,
    ref: ObjectRef,
    verb: 'create' | 'update' | 'delete',
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await this.audit.record(em, caller, {
      tenantId: caller.tenantId,
      action: `fabric.${ref.kind}.${verb}`,
      resourceType: `fabric-${ref.kind}`,
      resourceId: ref.key,
      before,
      after,
    });
  }
}
