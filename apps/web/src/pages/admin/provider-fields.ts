import {
  PROVIDER_FIELDS,
  type ProviderField,
  type ProviderFields,
} from '@switchyard/cloud-adapters/provider-fields';
import type { Provider } from '../../api/types';
import { labelFromName } from '../../lib/params';

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

// The provider's own fields, as the API takes them: declared once in libs/cloud-adapters.
function formField(f: ProviderField): FieldSpec {
  const kind =
    f.kind === 'boolean'
      ? 'checkbox'
      : f.kind === 'pem'
        ? 'textarea'
        : f.kind === 'strings'
          ? 'list'
          : f.secret
            ? 'secret'
            : undefined;
  return {
    key: f.key,
    label: f.label,
    ...(f.required ? { required: true } : {}),
    ...(kind ? { kind } : {}),
    ...(f.placeholder ? { placeholder: f.placeholder } : {}),
    ...(f.hint ? { hint: f.hint } : {}),
  };
}

function providerForm(p: ProviderFields): ProviderForm {
  return {
    label: p.label,
    settings: p.settings.map(formField),
    credentials: p.credentials.map((v) => ({
      ...(v.kind ? { kind: v.kind } : {}),
      label: v.label,
      fields: v.fields.map(formField),
    })),
  };
}

export const PROVIDERS: Record<Provider, ProviderForm> = {
  'aws-ec2': providerForm(PROVIDER_FIELDS['aws-ec2']),
  openstack: providerForm(PROVIDER_FIELDS.openstack),
  vsphere: providerForm(PROVIDER_FIELDS.vsphere),
  'linux-host': providerForm(PROVIDER_FIELDS['linux-host']),
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

/** A stored value under the label a person knows it by. */
export interface ShownValue {
  key: string;
  label: string;
  value: string;
}

function shownText(kind: ProviderField['kind'] | undefined, value: unknown): string {
  if (kind === 'pem' && typeof value === 'string') return 'a PEM certificate';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((v) => shownText(undefined, v)).join(', ');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${labelFromName(k)}: ${shownText(undefined, v)}`)
      .join(', ');
  }
  return String(value);
}

// in the order the provider declares its fields; keys it does not declare come last, named from the key
function shown(fields: readonly ProviderField[], values: Record<string, unknown>): ShownValue[] {
  const known = fields.filter((f) => f.key in values);
  const rest = Object.keys(values).filter((k) => !fields.some((f) => f.key === k));
  return [
    ...known.map((f) => ({ key: f.key, label: f.label, value: shownText(f.kind, values[f.key]) })),
    ...rest.map((k) => ({ key: k, label: labelFromName(k), value: shownText(undefined, values[k]) })),
  ];
}

/** An account's settings as labelled values. */
export function settingsShown(provider: Provider, settings: Record<string, unknown>): ShownValue[] {
  return shown(PROVIDER_FIELDS[provider].settings, settings);
}

/** An account's masked credentials as labelled values; `kind` names the way they were given. */
export function credentialsShown(provider: Provider, masked: Record<string, unknown>): ShownValue[] {
  const variants = PROVIDER_FIELDS[provider].credentials;
  const variant = variants.find((v) => v.kind === masked.kind) ?? variants[0];
  const { kind, ...rest } = masked;
  const how =
    kind === undefined ? [] : [{ key: 'kind', label: 'Credentials', value: variant?.label ?? String(kind) }];
  return [...how, ...shown(variant?.fields ?? [], rest)];
}
