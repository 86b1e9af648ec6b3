import type { CloudAdapter } from './adapter/cloud-adapter.js';
import { AwsEc2Adapter, type AwsEc2AdapterOptions } from './aws-ec2/aws-ec2.adapter.js';
import { LinuxHostAdapter, type LinuxHostAdapterOptions } from './linux-host/linux-host.adapter.js';
import { OpenStackAdapter, type OpenStackAdapterOptions } from './openstack/openstack.adapter.js';
import { VsphereAdapter, type VsphereAdapterOptions } from './vsphere/vsphere.adapter.js';

/** A cloud account's connection settings, by provider. */
export type CloudConnection =
  | ({ provider: 'aws-ec2' } & AwsEc2AdapterOptions)
  | ({ provider: 'openstack' } & OpenStackAdapterOptions)
  | ({ provider: 'vsphere' } & VsphereAdapterOptions)
  | ({ provider: 'linux-host' } & LinuxHostAdapterOptions);

/** The adapter for a cloud account; callers see only `CloudAdapter`. */
export function createCloudAdapter(connection: CloudConnection): CloudAdapter {
  switch (connection.provider) {
    case 'aws-ec2': {
      const { provider: _p, ...options } = connection;
      return new AwsEc2Adapter(options);
    }
    case 'openstack': {
      const { provider: _p, ...options } = connection;
      return new OpenStackAdapter(options);
    }
    case 'vsphere': {
      const { provider: _p, ...options } = connection;
      return new VsphereAdapter(options);
    }
    case 'linux-host': {
      const { provider: _p, ...options } = connection;
      return new LinuxHostAdapter(options);
    }
  }
}
