import { Inject, Injectable } from '@nestjs/common';
import {
  type ContivEndpointOper,
  ENDPOINT_KEY_MAX_LENGTH,
  Fabric,
  FabricError,
  type FieldIssue,
  FabricService,
  requiredIPv4Field,
} from '@switchyard/network-fabric';
import { UnitOfWork } from '@switchyard/core/database';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { assertMayChange, assertVisible, visibleFabricTenants } from './fabric-access.util.js';
import { parseNetworkId, pluginBody, tenantOfNetworkId } from './plugin-body.util.js';
import {
  ALLOC_ADDRESS_FIELDS,
  type AllocAddressRequest,
  type AllocAddressResponse,
  CREATE_ENDPOINT_FIELDS,
  type CreateEndpointRequest,
  type DeleteEndpointRequest,
  type EndpointConfig,
  endpointConfig,
  RELEASE_ADDRESS_FIELDS,
  type ReleaseAddressRequest,
} from './plugin-shapes.util.js';

/**
 * Contiv's plugin calls (what an orchestrator or CNI plugin asks of netmaster), scoped to the
 * caller's tenant unless it is an admin, each in one transaction with its audit entry. Bodies are
 * turned into the fabric's typed requests here, and errors' paths back into the bodies' fields;
 * each call checks in the order Contiv's answers have always followed.
 */
@Injectable()
export class FabricPluginService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Fabric) private readonly fabric: Fabric,
    @Inject(FabricService) private readonly objects: FabricService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** A change in one transaction; then this process's verdicts forget what they held. */
  private async change<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.uow.run(work);
    } finally {
      this.objects.changedLocally();
    }
  }

  async allocAddress(caller: Principal, body: unknown): Promise<AllocAddressResponse> {
    const req = pluginBody<AllocAddressRequest>(body, {
      required: ['NetworkID'],
      optional: ['AddressPool', 'PreferredIPv4Address'],
    });
    const tenant = this.networkTenant(caller, req.NetworkID);
    return this.change(async (em) => {
      const { network, group } = parseNetworkId(req.NetworkID, tenant);
      const tenantId = await this.fabric.tenantIdOf(tenant, em);
      const { ipv4, prefixLength } = await this.fabric
        .allocateAddress({ tenantId, network, group, preferredIPv4: req.PreferredIPv4Address }, em)
        .catch(inPluginFields(ALLOC_ADDRESS_FIELDS));
      const granted = { NetworkID: req.NetworkID, IPv4Address: `${ipv4}/${prefixLength}` };
      await this.record(em, caller, { action: 'address.alloc', id: granted.NetworkID, after: granted });
      return granted;
    });
  }

  async releaseAddress(caller: Principal, body: unknown): Promise<void> {
    const req = pluginBody<ReleaseAddressRequest>(body, { required: ['NetworkID', 'IPv4Address'] });
    const tenant = this.networkTenant(caller, req.NetworkID);
    await this.change(async (em) => {
      const { network } = parseNetworkId(req.NetworkID, tenant);
      requiredIPv4Field(req.IPv4Address, 'IPv4Address');
      const tenantId = await this.fabric.tenantIdOf(tenant, em);
      await this.fabric
        .releaseAddress({ tenantId, network, ipv4: req.IPv4Address }, em)
        .catch(inPluginFields(RELEASE_ADDRESS_FIELDS));
      await this.record(em, caller, { action: 'address.release', id: req.NetworkID, before: req });
    });
  }

  async createEndpoint(caller: Principal, body: unknown): Promise<{ EndpointConfig: EndpointConfig }> {
    const req = pluginBody<CreateEndpointRequest>(body, {
      required: ['NetworkName', 'EndpointID'],
      optional: ['TenantName', 'ServiceName', 'ContainerID', 'HomingHost', 'IntfName', 'IPAddress'],
      objects: { ConfigEP: ['Container', 'Host', 'IPAddress', 'ServiceName'] },
    });
    const tenant = this.endpointTenant(caller, req.TenantName, req.NetworkName, 'network');
    return this.change(async (em) => {
      checkCreateEndpoint(req, tenant);
      const tenantId = await this.fabric.tenantIdOf(tenant, em);
      const created = await this.fabric
        .allocateEndpoint(
          {
            tenantId,
            network: req.NetworkName,
            group: req.ServiceName || req.ConfigEP?.ServiceName || '',
            key: req.EndpointID,
            preferredIPv4: req.IPAddress || req.ConfigEP?.IPAddress,
            host: req.HomingHost ?? req.ConfigEP?.Host ?? '',
            containerId: req.ContainerID ?? req.ConfigEP?.Container ?? '',
            interfaceName: req.IntfName ?? '',
          },
          em,
        )
        .catch(inPluginFields(CREATE_ENDPOINT_FIELDS));
      const endpoint = endpointConfig(created);
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
    await this.change(async (em) => {
      const tenantId = await this.fabric.tenantIdOf(tenant, em);
      const key = { tenantId, key: req.EndpointID };
      const before = endpointConfig(await this.fabric.endpoint(key, em));
      await this.fabric.releaseEndpoint(key, em);
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
      return this.objects.inspectEndpointAnywhere([tenant], endpointId);
    }
    return this.objects.inspectEndpointAnywhere(visibleFabricTenants(caller), endpointId);
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

/** What Contiv checks of a createEndpoint body before it looks at the tenant. */
function checkCreateEndpoint(req: CreateEndpointRequest, tenant: string): void {
  const issues: FieldIssue[] = [];
  if (req.TenantName && req.TenantName !== tenant)
    issues.push({ path: 'TenantName', message: `must be "${tenant}"` });
  if (
    typeof req.EndpointID !== 'string' ||
    req.EndpointID === '' ||
    req.EndpointID.length > ENDPOINT_KEY_MAX_LENGTH
  ) {
    issues.push({ path: 'EndpointID', message: `is required (1-${ENDPOINT_KEY_MAX_LENGTH} characters)` });
  }
  if (typeof req.NetworkName !== 'string' || req.NetworkName === '')
    issues.push({ path: 'NetworkName', message: 'is required' });
  if (issues.length > 0) throw FabricError.invalid(issues, 'endpoint');
}

/** Rethrows a fabric error with its paths named as the plugin body names them. */
function inPluginFields(names: Readonly<Record<string, string>>) {
  return (error: unknown): never => {
    throw error instanceof FabricError ? error.withPaths(names) : error;
  };
}
