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
  | { kind: 'drop-response' }
  /** Forward the request (the peer acts on it), then never answer: the client's timeout fires. */
  | { kind: 'swallow-response' };

/**
 * How a proxy that is down treats clients: `refuse` stops listening (connection refused, as from
 * a host that is gone), `hang` accepts and never answers (a black hole).
 */
export type DownMode = 'refuse' | 'hang';

export interface SeenRequest {
  method: string;
  path: string;
  body: string;
  at: number;
  /** The fault played, or `down` for a request the proxy held or cut while down. */
  fault?: Fault['kind'] | 'down';
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
  private mode: DownMode | undefined;
  private trigger: { match: (req: SeenRequest) => boolean; mode: DownMode } | undefined;
  private port = 0;
  private closed: Promise<void> = Promise.resolve();

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
    proxy.port = (server.address() as AddressInfo).port;
    return proxy;
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  /** Whether the proxy is down, and how. */
  get down(): DownMode | undefined {
    return this.mode;
  }

  /**
   * The cloud dies: every open connection is cut (requests in flight get no answer), and from now
   * on clients are refused or held, per `mode`, until `goUp`. Switching modes while down is fine.
   */
  async goDown(mode: DownMode = 'refuse'): Promise<void> {
    const wasListening = this.mode !== 'refuse';
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
    if (mode === 'refuse' && wasListening) {
      this.closed = new Promise((resolve) => this.server.close(() => resolve()));
    } else if (mode === 'hang' && !wasListening) {
      await this.listen();
    }
  }

  /**
   * Goes down at the first request `match` accepts; that request still reaches the peer (which
   * acts on it), but its answer is lost with every other connection: the worst moment to die.
   */
  goDownOn(match: (req: SeenRequest) => boolean, mode: DownMode = 'refuse'): void {
    this.trigger = { match, mode };
  }

  /** The cloud is back: requests are forwarded again (armed faults still apply). */
  async goUp(): Promise<void> {
    this.trigger = undefined;
    if (this.mode === undefined) return;
    const refused = this.mode === 'refuse';
    this.mode = undefined;
    // held requests stay unanswered; their clients time out as they would have
    if (refused) await this.listen();
  }

  private async listen(): Promise<void> {
    await this.closed;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // the same port: the clients' configuration names it
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Arms a fault for the next `times` requests that `match` accepts (all requests by default). */
  inject(fault: Fault, times = 1, match: (req: SeenRequest) => boolean = () => true): void {
    this.armed.push({ fault, match, remaining: times });
  }

  clear(): void {
    this.armed.length = 0;
    this.requests.length = 0;
  }

  faulted(kind?: SeenRequest['fault']): SeenRequest[] {
    return this.requests.filter((r) => r.fault !== undefined && (kind === undefined || r.fault === kind));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.mode === 'refuse') return this.closed;
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
      if (this.mode) {
        // held (hang), or cut if it slipped in as the listener closed (refuse)
        seen.fault = 'down';
        if (this.mode === 'refuse') res.socket?.destroy();
        return;
      }
      if (this.trigger?.match(seen)) {
        const { mode } = this.trigger;
        this.trigger = undefined;
        seen.fault = 'down';
        this.forward(req, body, res, true);
        void this.goDown(mode);
        return;
      }
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
      if (fault?.kind === 'swallow-response') {
        this.forward(req, body, res, 'swallow');
        return;
      }
      this.forward(req, body, res, fault?.kind === 'drop-response');
    });
  }

  private targetOf(path: string): URL {
    const [, first = '', ...rest] = path.split('/');
    const base = this.options.routes?.[first];
    if (!base) return new URL(path, this.options.target);
    return new URL(`${base.replace(/\/$/, '')}/${rest.join('/')}`);
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
    drop: boolean | 'swallow',
  ): void {
    const target = this.targetOf(req.url ?? '/');
    const headers = { ...req.headers, host: target.host };
    const send = target.protocol === 'https:' ? https.request : http.request;
    const upstream = send(
      target,
      { method: req.method, headers, ...(this.options.targetCa ? { ca: this.options.targetCa } : {}) },
      (answer) => {
        if (drop) {
          // the peer has acted; the client never hears about it (or waits until it gives up)
          answer.resume();
          if (drop !== 'swallow') answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fault-proxy: ${error.message}`);
    });
    upstream.end(body);
  }
}
