import type { CloudProvider } from '../adapter/cloud.exception.js';
import type { CloudConnection } from '../create-cloud-adapter.js';
import { PROVIDER_FIELDS, type ProviderField } from './provider-fields.js';

/** A problem with one field of an account, named by its dot path. */
export interface FieldProblem {
  path: string;
  message: string;
}

type FieldRule = Pick<ProviderField, 'kind' | 'required' | 'identifier' | 'max' | 'min'>;
type Rules = Record<string, FieldRule>;

const rulesOf = (fields: readonly ProviderField[]): Rules =>
  Object.fromEntries(fields.map((f) => [f.key, f]));

function settingsRules(provider: CloudProvider): Rules {
  return rulesOf(PROVIDER_FIELDS[provider].settings);
}

function credentialRules(provider: CloudProvider, credentials: Record<string, unknown>): Rules {
  const variants = PROVIDER_FIELDS[provider].credentials;
  const variant = variants.find((v) => v.kind === credentials.kind) ?? variants[0];
  const rules = rulesOf(variant?.fields ?? []);
  // the variant's `kind` is one of its fields
  return variant?.kind ? { kind: { kind: 'string', required: true }, ...rules } : rules;
}

function check(value: unknown, rules: Rules, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: prefix, message: 'must be an object' }];
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(key in rules))
      problems.push({ path: `${prefix}.${key}`, message: 'is not a known field for this provider' });
  }
  for (const [key, rule] of Object.entries(rules)) {
    const path = `${prefix}.${key}`;
    const v = obj[key];
    if (v === undefined || v === null || v === '') {
      if (rule.required) problems.push({ path, message: 'is required' });
      continue;
    }
    const problem = fieldProblem(v, rule);
    if (problem) problems.push({ path, message: problem });
  }
  return problems;
}

function fieldProblem(v: unknown, rule: FieldRule): string | undefined {
  switch (rule.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'strings':
      return Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 64)
        ? undefined
        : 'must be a list of names';
    case 'url': {
      if (typeof v !== 'string') return 'must be a URL';
      try {
        const url = new URL(v);
        return ['http:', 'https:'].includes(url.protocol) ? undefined : 'must be an http(s) URL';
      } catch {
        return 'must be a URL';
      }
    }
    case 'pem':
      return typeof v === 'string' && /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v)
        ? undefined
        : 'must be a PEM certificate';
    case 'string':
      if (typeof v !== 'string') return 'must be a string';
      if (rule.min && v.length < rule.min) return `must be at least ${rule.min} characters`;
      return rule.max && v.length > rule.max ? `must be at most ${rule.max} characters` : undefined;
  }
}

/** Checks an account's settings and credentials for its provider; every problem by path. */
export function checkAccountFields(
  provider: CloudProvider,
  settings: unknown,
  credentials: unknown,
): FieldProblem[] {
  const problems = check(settings ?? {}, settingsRules(provider), 'settings');
  const creds = (typeof credentials === 'object' && credentials ? credentials : {}) as Record<
    string,
    unknown
  >;
  const kinds = PROVIDER_FIELDS[provider].credentials.flatMap((v) => (v.kind ? [v.kind] : []));
  if (kinds.length > 0 && !kinds.includes(String(creds.kind))) {
    problems.push({ path: 'credentials.kind', message: `must be ${kinds.join(' or ')}` });
    return problems;
  }
  return [...problems, ...check(credentials, credentialRules(provider, creds), 'credentials')];
}

/** Credentials as they may be shown: identifiers with their last four characters, secrets as stars. */
export function maskCredentials(
  provider: CloudProvider,
  credentials: Record<string, unknown>,
): Record<string, string> {
  const rules = credentialRules(provider, credentials);
  const masked: Record<string, string> = {};
  for (const [key, value] of Object.entries(credentials)) {
    if (key === 'kind') masked.kind = String(value);
    else if (typeof value === 'string') {
      masked[key] = rules[key]?.identifier && value.length >= 8 ? `********${value.slice(-4)}` : '********';
    }
  }
  return masked;
}

/** Per-request timeout and retry policy of a connection; the adapter's defaults where absent. */
export interface ConnectionLimits {
  requestTimeoutMs?: number;
  /** Attempts of a throttled or transiently failed call, the first included. */
  maxAttempts?: number;
  /** With maxAttempts: the first backoff's ceiling (doubling) and the cap of one backoff. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The adapter connection for a stored account (settings + opened credentials). */
export function accountConnection(
  provider: CloudProvider,
  settings: Record<string, unknown>,
  credentials: Record<string, unknown>,
  limits: ConnectionLimits = {},
): CloudConnection {
  const common = {
    ...(limits.requestTimeoutMs ? { requestTimeoutMs: limits.requestTimeoutMs } : {}),
    ...(limits.maxAttempts
      ? {
          retry: {
            maxAttempts: limits.maxAttempts,
            baseDelayMs: limits.baseDelayMs ?? 200,
            maxDelayMs: limits.maxDelayMs ?? 2000,
          },
        }
      : {}),
  };
  // the fields were checked by checkAccountFields when the account was stored
  const s = settings as Record<string, string | undefined> & { imageOwners?: string[]; insecure?: boolean };
  const c = credentials as Record<string, string>;
  const req = (v: string | undefined) => v ?? '';
  switch (provider) {
    case 'aws-ec2':
      return {
        provider,
        region: req(s.region),
        endpoint: s.endpoint,
        vpcId: s.vpcId,
        imageOwners: s.imageOwners,
        credentials: {
          accessKeyId: req(c.accessKeyId),
          secretAccessKey: req(c.secretAccessKey),
          sessionToken: c.sessionToken,
        },
        ...common,
      };
    case 'openstack':
      return {
        provider,
        authUrl: req(s.authUrl),
        region: s.region,
        vlanPhysicalNetwork: s.vlanPhysicalNetwork,
        caCert: s.caCert,
        insecure: s.insecure,
        credentials: credentials as never,
        ...common,
      };
    case 'vsphere':
      return {
        provider,
        url: req(s.url),
        insecure: s.insecure,
        caCert: s.caCert,
        datacenter: s.datacenter,
        cluster: s.cluster,
        folder: s.folder,
        datastore: s.datastore,
        switchName: s.switchName,
        username: req(c.username),
        password: req(c.password),
        ...common,
      };
    case 'linux-host':
      return { provider, agentUrl: req(s.agentUrl), token: req(c.token), ...common };
  }
}

/** Where an environment places deployments inside its account. */
export interface EnvironmentPlacement {
  region?: string;
  /** Provider keys: vpcId (AWS); datacenter, cluster, folder, datastore, switchName (vSphere). */
  placement: Record<string, string | undefined>;
  /** vSphere has no instance types: the sizes the environment prices are the ones it creates. */
  sizes?: { name: string; cpu: number; memoryMiB: number }[];
}

/** The connection that deploys into one environment: the account's, narrowed by the environment. */
export function environmentConnection(
  provider: CloudProvider,
  accountSettings: Record<string, unknown>,
  credentials: Record<string, unknown>,
  environment: EnvironmentPlacement,
  limits: ConnectionLimits = {},
): CloudConnection {
  const settings: Record<string, unknown> = { ...accountSettings };
  const { region, placement } = environment;
  if (region && provider !== 'vsphere') settings.region = region;
  if (provider === 'aws-ec2' && placement.vpcId) settings.vpcId = placement.vpcId;
  if (provider === 'vsphere') {
    for (const key of ['datacenter', 'cluster', 'folder', 'datastore', 'switchName']) {
      if (placement[key]) settings[key] = placement[key];
    }
  }
  const connection = accountConnection(provider, settings, credentials, limits);
  if (connection.provider === 'vsphere' && environment.sizes?.length) {
    connection.sizes = environment.sizes.map((s) => ({
      id: s.name,
      name: s.name,
      cpu: s.cpu,
      memoryMiB: s.memoryMiB,
    }));
  }
  return connection;
}
