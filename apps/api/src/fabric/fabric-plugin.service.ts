import { Inject, Injectable } from '@nestjs/common';
import {
  type AllocAddressRequest,
  type AllocAddressResponse,
  type ContivEndpointOper,
  type CreateEndpointRequest,
  type DeleteEndpointRequest,
  type EndpointOper,
  FabricService,
  type ReleaseAddressRequest,
} from '@switchyard/network-fabric';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { assertMayChange, assertVisible } from './fabric-access.util.js';
import { pluginBody, tenantOfNetworkId } from './plugin-body.util.js';

/**
 * Contiv's plugin calls (what an orchestrator or CNI plugin asks of netmaster), scoped to the
 * caller's tenant unless it is an admin, each in one transaction with its audit entry.
 */
@Injectable()
export class FabricPluginService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(FabricService) private readonly fabric: FabricService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async allocAddress(caller: Principal, body: unknown): Promise<AllocAddressResponse> {
    const req = pluginBody<AllocAddressRequest>(body, {
      required: ['NetworkID'],
      optional: ['AddressPool', 'PreferredIPv4Address'],
    });
    const tenant = this.networkTenant(caller, req.NetworkID);
    return this.db.transaction(async (em) => {
      const granted = await this.fabric.allocAddress(tenant, req, em);
      await this.record(em, caller, { action: 'address.alloc', id: granted.NetworkID, after: granted });
      return granted;
    });
  }

  async releaseAddress(caller: Principal, body: unknown): Promise<void> {
    const req = pluginBody<ReleaseAddressRequest>(body, { required: ['NetworkID', 'IPv4Address'] });
    const tenant = this.networkTenant(caller, req.NetworkID);
    await this.db.transaction(async (em) => {
      await this.fabric.releaseAddress(tenant, req, em);
      await this.record(em, caller, { action: 'address.release', id: req.NetworkID, before: req });
    });
  }

  async createEndpoint(caller: Principal, body: unknown): Promise<{ EndpointConfig: EndpointOper }> {
    const req = pluginBody<CreateEndpointRequest>(body, {
      required: ['NetworkName', 'EndpointID'],
      optional: ['TenantName', 'ServiceName', 'ContainerID', 'HomingHost', 'IntfName', 'IPAddress'],
      objects: { ConfigEP: ['Container', 'Host', 'IPAddress', 'ServiceName'] },
    });
    const tenant = this.endpointTenant(caller, req.TenantName, req.NetworkName, 'network');
    return this.db.transaction(async (em) => {
      const endpoint = await this.fabric.createEndpoint(tenant, req, em);
      await this.record(em, caller, { action: 'endpoint.create', id: endpoint.endpointID, after: endpoint });
      return { EndpointConfig: endpoint };
    });
  }

  async deleteEndpoint(caller: Principal, body: unknown): Promise<void> {
    const req = pluginBody<DeleteEndpointRequest>(body, {
      required: ['EndpointID'],
      optional: ['TenantName', 'NetworkName', 'ServiceName'],
    });
    const tenant = this.endpointTenant(caller, req.TenantName, req.EndpointID, 'endpoint');
    await this.db.transaction(async (em) => {
      const before = await this.fabric.inspectEndpoint(tenant, req.EndpointID, em);
      await this.fabric.deleteEndpoint(tenant, req, em);
      await this.record(em, caller, { action: 'endpoint.delete', id: req.EndpointID, before });
    });
  }

  /**
   * Contiv's endpoint inspect: netctl names no tenant, so the endpoint is looked for in every
   * tenant the caller may see (admins: all), or only in `tenant` when given.
   */
  inspectEndpoint(
    caller: Principal,
    endpointId: string,
    tenant?: string,
  ): Promise<{ Oper: ContivEndpointOper }> {
    if (typeof tenant === 'string' && tenant !== '') {
      assertVisible(caller, tenant, `endpoint "${endpointId}"`);
      return this.fabric.inspectEndpointAnywhere([tenant], endpointId);
    }
    return this.fabric.inspectEndpointAnywhere(
      caller.role === 'admin' ? null : [caller.tenantName],
      endpointId,
    );
  }

  private networkTenant(caller: Principal, networkId: string): string {
    assertMayChange(caller, 'address');
    const tenant = tenantOfNetworkId(networkId) || caller.tenantName;
    assertVisible(caller, tenant, `network "${networkId}"`);
    return tenant;
  }

  private endpointTenant(caller: Principal, given: string | undefined, name: string, what: string): string {
    assertMayChange(caller, 'endpoint');
    const tenant = given || caller.tenantName;
    assertVisible(caller, tenant, `${what} "${name}"`);
    return tenant;
  }

  // Filed under the caller's tenant, like every fabric change (see ContivObjectsService).
  private async record(
    em: EntityManager,
    caller: Principal,
    entry: { action: `${'address' | 'endpoint'}.${string}`; id: string; before?: object; after?: object },
  ): Promise<void> {
    await this.audit.record(em, caller, {
      tenantId: caller.tenantId,
      action: `fabric.${entry.action}`,
      resourceType: `fabric-${entry.action.split('.')[0]}`,
      resourceId: entry.id,
      before: entry.before ?? null,
      after: entry.after ?? null,
    });
  }
}
