import type { Provider } from '../../api/types';

export interface FieldSpec {
  key: string;
  label: string;
  required?: boolean;
  kind?: 'text' | 'secret' | 'textarea' | 'checkbox' | 'list';
  placeholder?: string;
  hint?: string;
}

export interface ProviderForm {
  label: string;
  settings: FieldSpec[];
  /** Credential variants (OpenStack has two); the first is the default. */
  credentials: { kind?: string; label: string; fields: FieldSpec[] }[];
}

// The provider's own fields, as the API takes them (CreateCloudAccountDto's description).
export const PROVIDERS: Record<Provider, ProviderForm> = {
  'aws-ec2': {
    label: 'AWS EC2',
    settings: [
      { key: 'region', label: 'Region', required: true, placeholder: 'eu-west-1' },
      {
        key: 'endpoint',
        label: 'Endpoint',
        placeholder: 'https://ec2.eu-west-1.amazonaws.com',
        hint: 'Only for simulators and private endpoints',
      },
      { key: 'vpcId', label: 'VPC id', placeholder: 'vpc-0123' },
      {
        key: 'imageOwners',
        label: 'Image owners',
        kind: 'list',
        placeholder: 'amazon, 099720109477',
        hint: 'Comma-separated',
      },
    ],
    credentials: [
      {
        label: 'Access key',
        fields: [
          { key: 'accessKeyId', label: 'Access key id', required: true },
          { key: 'secretAccessKey', label: 'Secret access key', required: true, kind: 'secret' },
          { key: 'sessionToken', label: 'Session token', kind: 'secret' },
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
        required: true,
        placeholder: 'https://keystone.example.com:5000/v3',
      },
      { key: 'region', label: 'Region', placeholder: 'RegionOne' },
      { key: 'vlanPhysicalNetwork', label: 'VLAN physical network', placeholder: 'physnet1' },
      {
        key: 'caCert',
        label: 'CA certificate (PEM)',
        kind: 'textarea',
        hint: 'When the OpenStack APIs have a private CA',
      },
      { key: 'insecure', label: 'Skip certificate checks (lab only)', kind: 'checkbox' },
    ],
    credentials: [
      {
        kind: 'password',
        label: 'Password',
        fields: [
          { key: 'username', label: 'User name', required: true },
          { key: 'password', label: 'Password', required: true, kind: 'secret' },
          { key: 'project', label: 'Project', required: true },
          { key: 'userDomain', label: 'User domain', placeholder: 'Default' },
          { key: 'projectDomain', label: 'Project domain', placeholder: 'Default' },
        ],
      },
      {
        kind: 'application-credential',
        label: 'Application credential',
        fields: [
          { key: 'id', label: 'Credential id', required: true },
          { key: 'secret', label: 'Secret', required: true, kind: 'secret' },
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
        required: true,
        placeholder: 'https://vcenter.example.com/sdk',
      },
      {
        key: 'caCert',
        label: 'CA certificate (PEM)',
        kind: 'textarea',
        hint: 'When vCenter has a private CA',
      },
      { key: 'insecure', label: 'Skip certificate checks (lab only)', kind: 'checkbox' },
      { key: 'datacenter', label: 'Datacenter' },
      { key: 'cluster', label: 'Cluster' },
      { key: 'folder', label: 'VM folder' },
      { key: 'datastore', label: 'Datastore' },
      { key: 'switchName', label: 'Distributed switch' },
    ],
    credentials: [
      {
        label: 'User',
        fields: [
          { key: 'username', label: 'User name', required: true },
          { key: 'password', label: 'Password', required: true, kind: 'secret' },
        ],
      },
    ],
  },
};

export type FormValues = Record<string, string | boolean>;

/** Settings from the form: empty fields left out, lists split. */
export function settingsFrom(provider: Provider, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of PROVIDERS[provider].settings) {
    const v = values[f.key];
    if (f.kind === 'checkbox') {
      if (v === true) out[f.key] = true;
    } else if (typeof v === 'string' && v.trim() !== '') {
      out[f.key] =
        f.kind === 'list'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : v.trim();
    }
  }
  return out;
}

export function settingsToForm(settings: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(settings ?? {})) {
    out[k] = typeof v === 'boolean' ? v : Array.isArray(v) ? v.join(', ') : v == null ? '' : String(v);
  }
  return out;
}

export function credentialsFrom(
  provider: Provider,
  variant: number,
  values: FormValues,
): Record<string, unknown> {
  const spec = PROVIDERS[provider].credentials[variant] ?? PROVIDERS[provider].credentials[0];
  const out: Record<string, unknown> = {};
  if (spec?.kind) out.kind = spec.kind;
  for (const f of spec?.fields ?? []) {
    const v = values[f.key];
    if (typeof v === 'string' && v !== '') out[f.key] = v;
  }
  return out;
}

/** The form's own required-field checks, keyed by the API's paths. */
export function missingFields(
  provider: Provider,
  variant: number,
  settings: FormValues,
  credentials: FormValues | null,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of PROVIDERS[provider].settings) {
    if (f.required && !String(settings[f.key] ?? '').trim()) out[`settings.${f.key}`] = 'is required';
  }
  if (credentials) {
    const spec = PROVIDERS[provider].credentials[variant];
    for (const f of spec?.fields ?? []) {
      if (f.required && !String(credentials[f.key] ?? '')) out[`credentials.${f.key}`] = 'is required';
    }
  }
  return out;
}
