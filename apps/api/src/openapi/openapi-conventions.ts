import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import type { RouteAuth } from './route-auth.util.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The one error body of every 4xx (common/error-body.ts), as a schema. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'details'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { type: 'string', example: 'The request has 1 problem' },
    details: {
      type: 'array',
      description: 'Every problem, each naming the field by its dot path',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', example: 'tiers.0.count' },
          message: { type: 'string', example: 'must be an integer' },
          line: { type: 'integer', description: 'in a submitted text (a YAML blueprint), 1-based' },
          column: { type: 'integer' },
        },
      },
    },
  },
};

// What each status means on any route (api-conventions.md); a route's own description wins.
const GENERIC: Record<string, string> = {
  '400': 'Bad input: `details` names every bad field by its dot path',
  '401': 'No token, or an unknown, revoked or expired one',
  '403': "The token's role does not allow this",
  '404': 'Not found, or not in your tenant',
  '422': 'The Idempotency-Key was used before with a different request',
};

/**
 * Adds to every operation what holds for all routes, so that controllers declare only what is
 * particular to theirs: its security (none for @Public() routes), the error answers the API gives
 * everywhere (400 when it takes input, 401 unless open, 403 with a required role, 404 with a
 * path parameter, 422 with an Idempotency-Key) and the shared error body on every 4xx.
 */
export function applyApiConventions(doc: OpenAPIObject, auth: Map<string, RouteAuth>): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas = { ErrorBody: ERROR_SCHEMA, ...doc.components.schemas };
  const schemes = Object.keys(doc.components.securitySchemes ?? {});
  // the document is served by the API it describes
  doc.servers = [{ url: '/', description: 'this Switchyard' }];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) applyToOperation(path, op, routeAuth(op, auth), schemes);
    }
  }
  return doc;
}

function routeAuth(op: OperationObject, auth: Map<string, RouteAuth>): RouteAuth {
  const id = op.operationId ?? '';
  // Nest suffixes the method when one handler serves several
  const found = auth.get(id) ?? auth.get(id.replace(/_[a-z]+$/, ''));
  if (!found) throw new Error(`OpenAPI: no handler found for operation ${id}`);
  return found;
}

function applyToOperation(path: string, op: OperationObject, auth: RouteAuth, schemes: string[]): void {
  op.security = auth.open ? [] : schemes.map((name) => ({ [name]: [] }));
  const params = op.parameters ?? [];
  const wanted = new Set<string>();
  if (op.requestBody || params.length > 0) wanted.add('400');
  if (!auth.open) wanted.add('401');
  if (auth.role) wanted.add('403');
  if (path.includes('{')) wanted.add('404');
  if (params.some((p) => 'name' in p && p.in === 'header' && /^idempotency-key$/i.test(p.name))) {
    wanted.add('422');
  }
  const responses = op.responses as Record<string, ResponseObject>;
  for (const status of wanted) {
    responses[status] ??= {
      description: status === '403' && auth.role ? `Needs the ${auth.role} role` : (GENERIC[status] ?? ''),
    };
  }
  for (const [status, response] of Object.entries(responses)) {
    if (!/^4\d\d$/.test(status) || '$ref' in response) continue;
    response.content ??= { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
  }
  // status order, as readers and generators expect
  op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}
