import type { IncomingMessage, ServerResponse } from 'node:http';
import { AGENT_ERROR_STATUS, AgentError } from './agent-error.js';

/** What a handler answers: a status and a JSON body, plain text, or nothing. */
export type Reply = { status: number; json?: unknown; text?: string };

export interface RouteRequest {
  params: string[];
  query: URLSearchParams;
  /** The raw body (at most MAX_BODY bytes). */
  body: Buffer;
}

interface Route {
  method: string;
  pattern: RegExp;
  public: boolean;
  handle: (req: RouteRequest) => Promise<Reply>;
}

export const MAX_BODY = 1024 * 1024;

/** A small router: method + path pattern (capture groups become params). */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handle: Route['handle'], options: { public?: boolean } = {}): void {
    const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, '([^/]+)')}$`);
    this.routes.push({ method, pattern, handle, public: options.public === true });
  }

  match(method: string, path: string): { route: Route; params: string[] } | undefined {
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (m && route.method === method) return { route, params: m.slice(1).map(decodeURIComponent) };
    }
    return undefined;
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      throw AgentError.invalid([{ path: 'body', message: `is larger than ${MAX_BODY} bytes` }]);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw AgentError.invalid([{ path: 'body', message: 'must be a JSON object' }]);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw AgentError.invalid([{ path: 'body', message: 'is not valid JSON' }]);
  }
}

export function send(res: ServerResponse, reply: Reply): void {
  if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(reply.text);
  } else if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.json));
  } else {
    res.writeHead(reply.status);
    res.end();
  }
}

export function errorReply(e: AgentError): Reply {
  return {
    status: AGENT_ERROR_STATUS[e.code],
    json: { error: { code: e.code, message: e.message, details: e.details } },
  };
}
