// Public API of @switchyard/cloud-adapters: the provider-neutral interface, its types and errors,
// the four adapters and a factory. Nothing here exposes an SDK or wire type.
export * from './adapter/cloud-adapter.js';
export * from './adapter/cloud.exception.js';
export * from './adapter/paginate.util.js';
export * from './adapter/retry.util.js';
export * from './adapter/security-policy.js';
export * from './adapter/wait-for-state.util.js';
export * from './create-cloud-adapter.js';
export { AwsEc2Adapter, TAG_IDEMPOTENCY_KEY, type AwsEc2AdapterOptions } from './aws-ec2/aws-ec2.adapter.js';
export { OpenStackAdapter, type OpenStackAdapterOptions } from './openstack/openstack.adapter.js';
export type { FetchLike, OpenStackCredentials, ServiceType } from './openstack/keystone.session.js';
export { META_IDEMPOTENCY_KEY } from './openstack/openstack-server.mapper.js';
export {
  VsphereAdapter,
  defaultVsphereSizes,
  type VsphereAdapterOptions,
} from './vsphere/vsphere.adapter.js';
export type { SoapHttpResponse, SoapTransport } from './vsphere/soap.transport.js';
export {
  LinuxHostAdapter,
  LINUX_HOST_ENFORCEMENT,
  acceptsRulesets,
  type LinuxHostAdapterOptions,
} from './linux-host/linux-host.adapter.js';
export * from './accounts/account-fields.js';
export * from './accounts/provider-fields.js';
export * from './accounts/cloud-account-adapters.js';
