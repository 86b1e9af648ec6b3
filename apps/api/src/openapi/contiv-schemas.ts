import type { SchemaObject } from '@nestjs/swagger';
import { OBJECT_SPECS, type AnyField, type ObjectSpec } from '@switchyard/network-fabric';

// The Contiv objects' JSON schemas, derived from the fabric's object specs (the rules the fabric
// validates with), so that the document cannot drift from them.

/** Component name of a kind's schema: ContivNetwork, ContivEndpointGroup, … */
export function contivSchemaName(kind: string): string {
  return `Contiv${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
}

function fieldSchema(field: AnyField): SchemaObject {
  const schema: SchemaObject = { description: field.doc };
  switch (field.type) {
    case 'string':
      schema.type = 'string';
      // an optional field may be sent empty, which means "not set"
      if (field.values) schema.enum = field.required ? [...field.values] : [...field.values, ''];
      break;
    case 'int':
      Object.assign(schema, { type: 'integer', minimum: field.min, maximum: field.max });
      break;
    case 'strings':
      Object.assign(schema, { type: 'array', items: { type: 'string' }, uniqueItems: true });
      break;
  }
  const empty = field.default === '' || (Array.isArray(field.default) && field.default.length === 0);
  if (!empty) schema.default = field.default;
  if (field.immutable) schema.description += ' (cannot change once created)';
  return schema;
}

function objectSchema(spec: ObjectSpec): SchemaObject {
  const fields = Object.entries(spec.fields);
  return {
    type: 'object',
    description: `A Contiv ${spec.kind} (collection \`${spec.collection}\`), keyed by ${spec.keyFields.join(':')}`,
    required: fields.filter(([, f]) => f.required).map(([name]) => name),
    properties: {
      key: { type: 'string', description: 'The key fields joined by `:` (in answers; ignored in bodies)' },
      ...Object.fromEntries(fields.map(([name, f]) => [name, fieldSchema(f)])),
      // sent by Contiv's clients, ignored here
      'link-sets': { type: 'object' },
      links: { type: 'object' },
    },
    additionalProperties: false,
  };
}

/** Every kind's schema, by component name. */
export function contivObjectSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries(
    Object.values(OBJECT_SPECS).map((spec) => [
      contivSchemaName(spec.kind),
      objectSchema(spec as unknown as ObjectSpec),
    ]),
  );
}

/** One object of any kind (the route's collection says which). */
export const CONTIV_OBJECT_SCHEMA: SchemaObject = {
  anyOf: Object.keys(OBJECT_SPECS).map((kind) => ({
    $ref: `#/components/schemas/${contivSchemaName(kind)}`,
  })),
};

/** `GET inspect/<collection>/<key>`: the object and its operational state (which varies by kind). */
export const CONTIV_INSPECT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['Config', 'Oper'],
  properties: {
    Config: CONTIV_OBJECT_SCHEMA,
    Oper: {
      type: 'object',
      additionalProperties: true,
      description: 'Operational state, e.g. allocated addresses and tags of a network',
    },
  },
};

/** A delete's answer: the key of the object that is gone. */
export const CONTIV_DELETED_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', example: 'default:net1' } },
};
