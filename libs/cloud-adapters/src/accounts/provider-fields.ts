// The fields of a cloud account, declared once per provider: the API checks and masks them
// (account-fields.ts), documents them (the account DTOs) and the web builds its form from them
// (`@switchyard/cloud-adapters/provider-fields`). Pure: no Node API, so a browser bundle can take it.
import type { CloudProvider } from '../adapter/cloud.exception.js';

/** How a field's value is written and checked. */
export type ProviderFieldKind = 'string' | 'url' | 'boolean' | 'pem' | 'strings';

export interface ProviderField {
  key: string;
  label: string;
  kind: ProviderFieldKind;
  required?: boolean;
  /** A credential shown back with its last four characters (an access key id, a user name). */
  identifier?: boolean;
  /** A credential typed where nobody reads along (every credential is sealed and shown as stars). */
  secret?: boolean;
  /** The longest text taken. */
  max?: number;
  /** The shortest text taken (a token with enough entropy). */
  min?: number;
  placeholder?: string;
  hint?: string;
}

/** One way to give a provider's credentials; OpenStack has two, told apart by `kind`. */
export interface CredentialVariant {
  kind?: string;
  label: string;
  fields: readonly ProviderField[];
}

export interface ProviderFields {
  label: string;
  /** Non-secret connection settings. */
  settings: readonly ProviderField[];
  /** The first variant is the default. */
  credentials: readonly CredentialVariant[];
}

const CA_CERT = { key: 'caCert', label: 'CA certificate (PEM)', kind: 'pem' } as const;
const INSECURE = { key: 'insecure', label: 'Skip certificate checks (lab only)', kind: 'boolean' } as const;

export const PROVIDER_FIELDS: Readonly<Record<CloudProvider, ProviderFields>> = {
  'aws-ec2': {
    label: 'AWS EC2',
    settings: [
      { key: 'region', label: 'Region', kind: 'string', required: true, max: 32, placeholder: 'eu-west-1' },
      {
        key: 'endpoint',
        label: 'Endpoint',
        kind: 'url',
        placeholder: 'https://ec2.eu-west-1.amazonaws.com',
        hint: 'Only for simulators and private endpoints',
      },
      { key: 'vpcId', label: 'VPC id', kind: 'string', max: 64, placeholder: 'vpc-0123' },
      {
        key: 'imageOwners',
        label: 'Image owners',
        kind: 'strings',
        placeholder: 'amazon, 099720109477',
        hint: 'Comma-separated',
      },
    ],
    credentials: [
      {
        label: 'Access key',
        fields: [
          {
            key: 'accessKeyId',
            label: 'Access key id',
            kind: 'string',
            required: true,
            identifier: true,
            max: 128,
          },
          {
            key: 'secretAccessKey',
            label: 'Secret access key',
            kind: 'string',
            required: true,
            secret: true,
            max: 256,
          },
          { key: 'sessionToken', label: 'Session token', kind: 'string', secret: true, max: 4096 },
        ],
      },
    ],
  },
  openstack: {
    label: 'OpenStack',
    settings: [
      {
        key: 'authUrl',
        label: 'Keystone URL',
        kind: 'url',
        required: true,
        placeholder: 'https://keystone.example.com:5000/v3',
      },
      { key: 'region', label: 'Region', kind: 'string', max: 64, placeholder: 'RegionOne' },
      {
        key: 'vlanPhysicalNetwork',
        label: 'VLAN physical network',
        kind: 'string',
        max: 64,
        placeholder: 'physnet1',
      },
      { ...CA_CERT, hint: 'When the OpenStack APIs have a private CA' },
      INSECURE,
    ],
    credentials: [
      {
        kind: 'password',
        label: 'Password',
        fields: [
          { key: 'username', label: 'User name', kind: 'string', required: true, identifier: true, max: 255 },
          { key: 'password', label: 'Password', kind: 'string', required: true, secret: true, max: 1024 },
          { key: 'project', label: 'Project', kind: 'string', required: true, max: 255 },
          { key: 'userDomain', label: 'User domain', kind: 'string', max: 255, placeholder: 'Default' },
          { key: 'projectDomain', label: 'Project domain', kind: 'string', max: 255, placeholder: 'Default' },
        ],
      },
      {
        kind: 'application-credential',
        label: 'Application credential',
        fields: [
          { key: 'id', label: 'Credential id', kind: 'string', required: true, identifier: true, max: 255 },
          { key: 'secret', label: 'Secret', kind: 'string', required: true, secret: true, max: 1024 },
        ],
      },
    ],
  },
  vsphere: {
    label: 'VMware vSphere',
    settings: [
      {
        key: 'url',
        label: 'vCenter SDK URL',
        kind: 'url',
        required: true,
        placeholder: 'https://vcenter.example.com/sdk',
      },
      { ...CA_CERT, hint: 'When vCenter has a private CA' },
      INSECURE,
      { key: 'datacenter', label: 'Datacenter', kind: 'string', max: 255 },
      { key: 'cluster', label: 'Cluster', kind: 'string', max: 255 },
      { key: 'folder', label: 'VM folder', kind: 'string', max: 255 },
      { key: 'datastore', label: 'Datastore', kind: 'string', max: 255 },
      { key: 'switchName', label: 'Distributed switch', kind: 'string', max: 255 },
    ],
    credentials: [
      {
        label: 'User',
        fields: [
          { key: 'username', label: 'User name', kind: 'string', required: true, identifier: true, max: 255 },
          { key: 'password', label: 'Password', kind: 'string', required: true, secret: true, max: 1024 },
        ],
      },
    ],
  },
  'linux-host': {
    label: 'Linux hosts',
    settings: [
      {
        key: 'agentUrl',
        label: 'Host agent URL',
        kind: 'url',
        required: true,
        placeholder: 'http://10.0.0.5:7471',
        hint: "Where the host's agent (apps/agent) listens: AGENT_LISTEN; keep it on a trusted network",
      },
    ],
    credentials: [
      {
        label: 'Agent token',
        fields: [
          {
            key: 'token',
            label: 'Agent token',
            kind: 'string',
            required: true,
            secret: true,
            min: 32,
            max: 512,
            hint: "The agent's AGENT_TOKEN",
          },
        ],
      },
    ],
  },
};

const names = (fields: readonly ProviderField[]) =>
  fields.map((f) => `${f.key}${f.required ? '' : '?'}`).join(', ');

/** A provider's settings in short, `?` marking the optional ones: `region, endpoint?, vpcId?`. */
export function describeSettings(provider: CloudProvider): string {
  return names(PROVIDER_FIELDS[provider].settings);
}

/** A provider's credentials in short; variants as `{kind: K, …} or {kind: L, …}`. */
export function describeCredentials(provider: CloudProvider): string {
  return PROVIDER_FIELDS[provider].credentials
    .map((v) => (v.kind ? `{kind: ${v.kind}, ${names(v.fields)}}` : names(v.fields)))
    .join(' or ');
}
