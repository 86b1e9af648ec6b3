export * from './errors/fabric.exception.js';
export * from './addressing/ip.util.js';
export * from './addressing/subnet.util.js';
export * from './addressing/range-list.util.js';
export * from './addressing/mac.util.js';
export * from './addressing/tag-range.util.js';
export * from './model/field.util.js';
export * from './model/names.util.js';
export * from './model/objects.model.js';
export * from './model/validate.util.js';
export * from './policy/verdict.util.js';
export * from './policy/compiled-policy.util.js';
export {
  CompiledPolicies,
  FABRIC_CHANGED,
  type FabricNotices,
  TENANTS_CHANGED,
} from './policy/compiled-policies.js';
export * from './nftables/ruleset.util.js';
export * from './policy/security-rules.util.js';
export { ipv4Field, requiredIPv4Field } from './ipam/ipv4-field.util.js';
export { DEFAULT_ADDRESS_POOL } from './ipam/subnet-pool.util.js';
export {
  ENDPOINT_KEY_MAX_LENGTH,
  type AddressRelease,
  type AddressRequest,
  type AllocatedAddress,
  type Endpoint,
  type EndpointRequest,
} from './ipam/addresses.service.js';
export * from './control/fabric.service.js';
export * from './api/fabric.types.js';
export * from './api/fabric.js';
export * from './nftables/instance-scope.util.js';
export * from './nftables/ruleset-etag.util.js';
