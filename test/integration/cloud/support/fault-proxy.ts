import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** A wire-level failure the proxy plays instead of (or after) forwarding a request. */
export type Fault =
  /** Answer with this status and body without asking the peer. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | { kind: 'hang' }
  /** Forward the request (the peer acts on it), then cut the connection instead of answering. */
  | { kind: 'drop-response' };

export interface SeenRequest {
  method: string;
  path: string;
  body: string;
  at: number;
  fault?: Fault['kind'];
}

interface Armed {
  fault: Fault;
  match: (req: SeenRequest) => boolean;
  remaining: number;
}

export interface FaultProxyOptions {
  /** Base URL of the peer, e.g. http://127.0.0.1:4566 */
  target: string;
  /**
   * For peers made of several services: the first path segment picks the base URL, e.g.
   * `/compute/servers` → `http://127.0.0.1:8774/v2.1/servers` for `{ compute: 'http://127.0.0.1:8774/v2.1' }`.
   */
  routes?: Record<string, string>;
  /** Serve TLS with this certificate (for peers reached over https). */
  tls?: { cert: string; key: string };
  /** CA to verify the peer with, when it is https. */
  targetCa?: string;
}

/**
 * A small HTTP(S) proxy in front of a real peer that injects faults on demand, so the adapters'
 * real clients meet real 429/503 answers, hung requests and lost responses.
 */
export class FaultProxy {
  readonly requests: SeenRequest[] = [];
  private readonly armed: Armed[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: FaultProxyOptions,
  ) {}

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = options.tls ? https.createServer(options.tls) : http.createServer();
    const proxy = new FaultProxy(server, options);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => proxy.handle(req, res));
    server.on('connection', (socket: Socket) => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  /** Arms a fault for the next `times` requests that `match` accepts (all requests by default). */
  inject(fault: Fault, times = 1, match: (req: SeenRequest) => boolean = () => true): void {
    this.armed.push({ fault, match, remaining: times });
  }

  clear(): void {
    this.armed.length = 0;
    this.requests.length = 0;
  }

  faulted(kind?: Fault['kind']): SeenRequest[] {
    return this.requests.filter((r) => r.fault !== undefined && (kind === undefined || r.fault === kind));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body: body.toString('utf8'),
        at: Date.now(),
      };
      this.requests.push(seen);
      const armed = this.armed.find((a) => a.remaining > 0 && a.match(seen));
      if (armed) {
        armed.remaining--;
        seen.fault = armed.fault.kind;
      }
      const fault = armed?.fault;
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      if (fault?.kind === 'hang') return;
      this.forward(req, body, res, fault?.kind === 'drop-response');
    });
  }

  private targetOf(path: string): URL {
    const [, first = '', ...rest] = path.split('/');
    const base = this.options.routes?.[first];
    if (!base) return new URL(path, this.options.target);
    return new URL(`${base.replace(/\/$/, '')}/${rest.join('/')}`);
  }

  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, drop: boolean): void {
    const target = this.targetOf(req.url ?? '/');
    const headers = { ...req.headers, host: target.host };
    const send = target.protocol === 'https:' ? https.request : http.request;
    const upstream = send(
      target,
      { method: req.method, headers, ...(this.options.targetCa ? { ca: this.options.targetCa } : {}) },
      (answer) => {
        if (drop) {
          // the peer has acted; the client never hears about it
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault-proxy: ${error.message}`);
    });
    upstream.end(body);
  }
}
