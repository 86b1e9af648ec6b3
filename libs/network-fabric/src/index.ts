export * from './errors/fabric.exception.js';
export * from './model/field.util.js';
export * from './model/names.util.js';
export * from './model/objects.model.js';
export * from './model/validate.util.js';
export * from './ipam/ip.util.js';
export * from './ipam/subnet.util.js';
export * from './ipam/range-list.util.js';
export * from './ipam/mac.util.js';
export * from './tags/tag-range.util.js';
export * from './policy/verdict.util.js';
export {
  parseNetworkId,
  type AllocAddressRequest,
  type AllocAddressResponse,
  type ReleaseAddressRequest,
  type CreateEndpointRequest,
  type DeleteEndpointRequest,
} from './store/address.service.js';
export * from './store/fabric.service.js';
