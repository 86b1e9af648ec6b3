import { createServer, type Server } from 'node:http';
import { run } from './netns-endpoints.js';

/**
 * The host agent's side of a ruleset push, for namespaces the bench made: `GET /v1/host` (what the
 * API's seeding and the worker's inventory sync ask) and `PUT /v1/instances/{id}/ruleset`, which
 * loads the text with `ip netns exec NS nft -f -` as the agent does. The real agent's instances
 * each run a Node init process, too heavy by the thousand; the load itself is the same command.
 */
export interface RulesetHost {
  url: string;
  puts: number;
  /** When each ruleset PUT arrived (epoch ms, performance clock). */
  arrivals: number[];
  /** How long each `nft -f` in a namespace took (ms). */
  loadMs: number[];
  close(): Promise<void>;
}

export async function startRulesetHost(
  token: string,
  namespaceOf: (id: string) => string | undefined,
): Promise<RulesetHost> {
  const host = {
    hostId: 'bench-host',
    kernel: 'linux',
    cpus: 2,
    memoryMiB: 1024,
    underlayAddress: '127.0.0.1',
    instanceTypes: [{ id: 'lh.1', name: '1 vCPU, 1 GiB', cpu: 1, memoryMiB: 1024 }],
    images: [{ id: 'host-root', name: 'host root' }],
  };
  const state = { puts: 0, arrivals: [] as number[], loadMs: [] as number[] };
  const server: Server = createServer((req, res) => {
    const arrived = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body?: unknown) => {
        res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`)
        return reply(401, { error: { code: 'Unauthorized' } });
      const url = new URL(req.url ?? '/', 'http://bench');
      if (req.method === 'GET' && url.pathname === '/v1/host') return reply(200, host);
      if (req.method === 'GET' && url.pathname === '/v1/instances') return reply(200, []);
      const put = /^\/v1\/instances\/([^/]+)\/ruleset$/.exec(url.pathname);
      const ns = put && req.method === 'PUT' ? namespaceOf(decodeURIComponent(put[1]!)) : undefined;
      if (!ns) return reply(404, { error: { code: 'NotFound', message: url.pathname } });
      state.arrivals.push(arrived);
      run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], Buffer.concat(chunks).toString('utf8')).then(
        () => {
          state.puts++;
          state.loadMs.push(performance.timeOrigin + performance.now() - arrived);
          reply(204);
        },
        (err: Error) => reply(400, { error: { code: 'InvalidRequest', message: err.message } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    get puts() {
      return state.puts;
    },
    arrivals: state.arrivals,
    loadMs: state.loadMs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
