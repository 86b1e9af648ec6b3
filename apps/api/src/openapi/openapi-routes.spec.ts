import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@switchyard/core/config';
import { AppModule } from '../app.module.js';
import { setupOpenApi } from '../openapi.js';
import { createOpenApiDocument } from './openapi-document.js';

// Routes the app serves that are not operations of the API, and why:
// - the documentation itself (Swagger UI at /api/docs and its files, the document at
//   /api/openapi.json and .yaml);
// - the web app at / (static files and the index.html fallback) is middleware, not a route, so
//   it never shows among the router's routes.
const NOT_OPERATIONS = [/^GET \/api\/docs(\/.*)?$/, /^GET \/api\/openapi\.(json|yaml)$/];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `METHOD /path/{param}` of every route Express holds once Nest has registered the app's. */
function registeredRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  return express.router.stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods)
          .filter((m) => route.methods[m])
          .map((m) => `${m.toUpperCase()} ${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`)
      : [],
  );
}

function documentedRoutes(doc: OpenAPIObject): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
  );
}

describe('the OpenAPI document and the routes the app registers', () => {
  let app: INestApplication;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    // preview: the routes and their metadata, without any provider (no database, no Redis)
    app = await NestFactory.create(AppModule.forRoot(loadConfig({})), { preview: true, logger: false });
    doc = createOpenApiDocument(app);
    setupOpenApi(app);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('documents every route, and nothing that is not one', () => {
    const registered = registeredRoutes(app).filter((r) => !NOT_OPERATIONS.some((x) => x.test(r)));
    const documented = documentedRoutes(doc);
    // a sanity floor: the router was read (the app has far more routes than this)
    expect(registered.length).toBeGreaterThan(40);
    expect(registered).toContain('GET /health/live');
    expect(registered).toContain('GET /metrics');
    expect(registered).toContain('POST /netmaster/api/v1/{collection}/{key}');
    expect({ undocumented: registered.filter((r) => !documented.includes(r)) }).toEqual({ undocumented: [] });
    expect({ unregistered: documented.filter((r) => !registered.includes(r)) }).toEqual({ unregistered: [] });
    expect(new Set(registered).size).toBe(registered.length);
  });

  it('gives every operation an id, a summary, its security and its error answers', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, id: typeof op.operationId, summary: typeof op.summary }).toEqual({
          where,
          id: 'string',
          summary: 'string',
        });
        expect(ids.has(op.operationId!)).toBe(false);
        ids.add(op.operationId!);
        expect({ where, security: Array.isArray(op.security) }).toEqual({ where, security: true });
        const statuses = Object.keys(op.responses);
        if (op.security!.length > 0)
          expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(['401']) });
        if (path.includes('{'))
          expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(['404']) });
      }
    }
  });

  it('leaves open only the routes marked @Public(), and types Contiv bodies from the object specs', () => {
    const open = documentedRoutes(doc).filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return doc.paths[path]![method.toLowerCase() as 'get']!.security!.length === 0;
    });
    expect(open).toEqual(
      expect.arrayContaining([
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
        'POST /api/v1/sessions',
      ]),
    );
    expect(open.filter((r) => r.includes('/netmaster') || r.includes('/api/v1/deployments'))).toEqual([]);
    const network = doc.components!.schemas!.ContivNetwork as {
      required: string[];
      properties: Record<string, { enum?: string[] }>;
    };
    expect(network.required).toEqual(
      expect.arrayContaining(['tenantName', 'networkName', 'encap', 'subnet']),
    );
    expect(network.properties.encap!.enum).toEqual(['vlan', 'vxlan']);
  });
});
