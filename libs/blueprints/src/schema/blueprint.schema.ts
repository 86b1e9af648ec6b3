import type { JsonSchema } from './json-schema.types.js';

// Patterns shared with the validator (which reports the same titles).
export const DNS_LABEL_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
export const PARAMETER_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]{0,62}$';
export const PARAMETER_REF_PATTERN = '^\\$\\{params\\.[A-Za-z][A-Za-z0-9_]{0,62}\\}$';
const SEMVER_PATTERN =
  '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$';
// 1..65535 spelled out, so that editors catch 0 and 70000 too.
const PORT_PATTERN =
  '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])/(tcp|udp)$';
const ENV_NAME_PATTERN = '^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]{0,127}$';
const MAX_COUNT = 1000;

const dnsLabel = (what: string): JsonSchema => ({
  type: 'string',
  title: `a DNS label (${what}: lowercase letters, digits and "-", at most 63 characters)`,
  pattern: DNS_LABEL_PATTERN,
});

const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength });

const port: JsonSchema = {
  type: 'string',
  title: 'a port like 443/tcp (1..65535, tcp or udp)',
  pattern: PORT_PATTERN,
};

const portList: JsonSchema = { type: 'array', items: port, minItems: 1, maxItems: 100, uniqueItems: true };

const parameterRef: JsonSchema = {
  type: 'string',
  title: 'a ${params.name} reference',
  pattern: PARAMETER_REF_PATTERN,
};

/** JSON Schema (draft 2020-12) of the blueprint format, served at /api/v1/blueprints/schema.json. */
export const BLUEPRINT_JSON_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://switchyard.dev/schemas/blueprint/v1.json',
  title: 'Switchyard blueprint',
  description:
    'A multi-tier application (kind Blueprint) or a one-tier reusable building block (kind Service). ' +
    'Cross-field rules (references, cycles, counts inside scale, CIDRs, uses) are checked by the validator.',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'tiers'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'switchyard.dev/v1' },
    kind: { enum: ['Blueprint', 'Service'] },
    metadata: { $ref: '#/$defs/metadata' },
    parameters: {
      type: 'object',
      maxProperties: 100,
      propertyNames: { title: 'a parameter name like appCount', pattern: PARAMETER_NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/parameter' },
    },
    tiers: {
      type: 'object',
      minProperties: 1,
      maxProperties: 100,
      propertyNames: dnsLabel('tier name'),
      additionalProperties: { $ref: '#/$defs/tier' },
    },
    connections: { type: 'array', maxItems: 500, items: { $ref: '#/$defs/connection' } },
    benchmark: { $ref: '#/$defs/benchmark' },
    outputs: {
      type: 'object',
      maxProperties: 100,
      propertyNames: { title: 'an output name like url', pattern: PARAMETER_NAME_PATTERN },
      additionalProperties: text(2048),
    },
  },
  $defs: {
    metadata: {
      type: 'object',
      required: ['name', 'version', 'title'],
      additionalProperties: false,
      properties: {
        name: dnsLabel('metadata.name'),
        version: { type: 'string', title: 'a semantic version like 1.2.0', pattern: SEMVER_PATTERN },
        title: text(120),
        description: { type: 'string', maxLength: 4000 },
        category: dnsLabel('category'),
        tags: { type: 'array', maxItems: 20, uniqueItems: true, items: dnsLabel('tag') },
        owner: text(128),
      },
    },
    parameter: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: ['string', 'integer', 'number', 'boolean', 'enum', 'secret', 'cidr'] },
        label: text(80),
        description: { type: 'string', maxLength: 500 },
        required: { type: 'boolean' },
        default: { type: ['string', 'number', 'boolean'] },
        minimum: { type: 'number' },
        maximum: { type: 'number' },
        values: { type: 'array', minItems: 1, maxItems: 100, uniqueItems: true, items: text(128) },
        pattern: text(256),
      },
    },
    tier: {
      type: 'object',
      additionalProperties: false,
      properties: {
        uses: {
          type: 'string',
          title: 'a Service reference like postgres@^15',
          pattern: '^[a-z0-9][a-z0-9-]{0,62}(@[^@]{1,64})?$',
        },
        size: {
          type: 'object',
          additionalProperties: false,
          properties: {
            cpu: { type: 'integer', minimum: 1, maximum: 256 },
            memoryMiB: { type: 'integer', minimum: 256, maximum: 4194304 },
            diskGiB: { type: 'integer', minimum: 1, maximum: 65536 },
          },
        },
        image: {
          type: 'object',
          required: ['os', 'version'],
          additionalProperties: false,
          properties: {
            os: { type: 'string', title: 'an OS name like ubuntu', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
            version: text(64),
          },
        },
        count: {
          anyOf: [
            { type: 'integer', title: `a count 1..${MAX_COUNT}`, minimum: 1, maximum: MAX_COUNT },
            parameterRef,
          ],
        },
        scale: {
          type: 'object',
          required: ['min', 'max'],
          additionalProperties: false,
          properties: {
            min: { type: 'integer', minimum: 1, maximum: MAX_COUNT },
            max: { type: 'integer', minimum: 1, maximum: MAX_COUNT },
          },
        },
        dependsOn: { type: 'array', maxItems: 100, uniqueItems: true, items: dnsLabel('tier name') },
        ports: portList,
        init: {
          type: 'object',
          additionalProperties: false,
          properties: {
            packages: {
              type: 'array',
              maxItems: 200,
              uniqueItems: true,
              items: {
                type: 'string',
                title: 'a package name',
                pattern: '^[A-Za-z0-9][A-Za-z0-9.+_:=~-]{0,127}$',
              },
            },
            script: { type: 'string', maxLength: 65536 },
          },
        },
        env: {
          type: 'object',
          maxProperties: 200,
          propertyNames: { title: 'an environment variable name like DB_HOST', pattern: ENV_NAME_PATTERN },
          additionalProperties: { type: 'string', maxLength: 4096 },
        },
      },
      // Without a Service to inherit from, the tier must say what machine it needs.
      if: { required: ['uses'] },
      else: {
        required: ['size', 'image'],
        properties: { size: { required: ['cpu', 'memoryMiB'] } },
      },
    },
    connection: {
      type: 'object',
      required: ['from', 'to'],
      additionalProperties: false,
      properties: {
        from: {
          type: 'string',
          description: 'A tier name, internet, a CIDR, or ${params.x} of type cidr',
          minLength: 1,
          maxLength: 128,
        },
        to: { type: 'string', description: 'A tier name', minLength: 1, maxLength: 128 },
        ports: portList,
      },
    },
    benchmark: {
      type: 'object',
      required: ['target', 'http'],
      additionalProperties: false,
      properties: {
        target: dnsLabel('tier name'),
        http: {
          type: 'object',
          required: ['path', 'requests', 'concurrency'],
          additionalProperties: false,
          properties: {
            path: { type: 'string', title: 'a path starting with /', pattern: '^/[^\\s]{0,2047}$' },
            requests: { type: 'integer', minimum: 1, maximum: 1000000 },
            concurrency: { type: 'integer', minimum: 1, maximum: 1024 },
          },
        },
      },
    },
  },
};
