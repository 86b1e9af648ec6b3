import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { SetupFailedError } from '../host-network/index.js';
import type { InstanceService } from '../instances/instance.service.js';
import type { NetworkService } from '../networks/network.service.js';
import { AgentError, AgentErrorCode } from './agent-error.js';
import { Router, errorReply, parseJson, readBody, send, type Reply } from './router.js';

export interface AgentServerParts {
  token: string;
  networks: NetworkService;
  instances: InstanceService;
  hostInfo: () => Promise<unknown>;
  log: (event: string, fields: Record<string, unknown>) => void;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorized(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

function tagFilters(query: URLSearchParams): [string, string][] {
  return query.getAll('tag').map((t, i) => {
    const at = t.indexOf('=');
    if (at <= 0) throw AgentError.invalid([{ path: `tag[${i}]`, message: 'must be KEY=VALUE' }]);
    return [t.slice(0, at), t.slice(at + 1)];
  });
}

/** The agent's routes (the contract's), token-checked but for health. */
export function buildRouter(p: AgentServerParts): Router {
  const r = new Router();
  const ok = (status: number, json?: unknown): Reply => ({ status, json });
  r.add('GET', '/v1/health', async () => ok(200, { ok: true }), { public: true });
  r.add('GET', '/v1/host', async () => ok(200, await p.hostInfo()));
  r.add('PUT', '/v1/networks/:name', async ({ params, body }) =>
    ok(200, await p.networks.put(params[0]!, parseJson(body))),
  );
  r.add('DELETE', '/v1/networks/:name', async ({ params }) => {
    await p.networks.delete(params[0]!);
    return ok(204);
  });
  r.add('POST', '/v1/instances', async ({ body }) => {
    const { created, instance } = await p.instances.create(parseJson(body));
    return ok(created ? 201 : 200, instance);
  });
  r.add('GET', '/v1/instances', async ({ query }) =>
    ok(200, p.instances.list(tagFilters(query), query.get('managed') ?? undefined)),
  );
  r.add('GET', '/v1/instances/:id', async ({ params }) => ok(200, p.instances.get(params[0]!)));
  r.add('DELETE', '/v1/instances/:id', async ({ params }) => {
    await p.instances.terminate(params[0]!);
    return ok(204);
  });
  for (const action of ['start', 'stop', 'reboot'] as const) {
    r.add('POST', `/v1/instances/:id/${action}`, async ({ params }) => {
      await p.instances.act(params[0]!, action);
      return ok(202);
    });
  }
  r.add('PUT', '/v1/instances/:id/ruleset', async ({ params, body }) => {
    await p.instances.putRuleset(params[0]!, body.toString('utf8'));
    return ok(204);
  });
  r.add('GET', '/v1/instances/:id/console', async ({ params }) => ({
    status: 200,
    text: await p.instances.console(params[0]!),
  }));
  return r;
}

/** node:http around the router: auth, bodies, and errors mapped once (500s with an error id only). */
export function createAgentServer(p: AgentServerParts): Server {
  const router = buildRouter(p);
  return createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://agent');
        const found = router.match(req.method ?? 'GET', url.pathname);
        if (!found) throw new AgentError(AgentErrorCode.NotFound, `no route ${req.method} ${url.pathname}`);
        if (!found.route.public && !authorized(req.headers.authorization, p.token)) {
          throw new AgentError(AgentErrorCode.Unauthorized, 'a valid bearer token is required');
        }
        const body = await readBody(req);
        send(res, await found.route.handle({ params: found.params, query: url.searchParams, body }));
      } catch (e) {
        send(res, errorReply(toAgentError(e, p.log)));
      }
    })();
  });
}

function toAgentError(e: unknown, log: AgentServerParts['log']): AgentError {
  if (e instanceof AgentError) return e;
  // the kernel refused part of a setup, which was undone: the request conflicts with the host's state
  if (e instanceof SetupFailedError) {
    return new AgentError(AgentErrorCode.Conflict, `setup failed and was undone: ${e.message}`);
  }
  const errorId = randomUUID();
  log('request.failed', {
    errorId,
    message: e instanceof Error ? e.message : String(e),
    stack: (e as Error)?.stack,
  });
  return new AgentError(AgentErrorCode.Internal, 'internal error', { errorId });
}
