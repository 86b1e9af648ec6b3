import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Availability } from './skips.js';

const MAIN = resolve(import.meta.dirname, '../../apps/agent/dist/main.js');
const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/**
 * A node an instance can run: this process's own, unless it lies under /tmp (a checkout there, as
 * in a CI clone), which the instance's own /tmp tmpfs hides; then the host's system node.
 */
export function instanceNode(): string {
  if (!process.execPath.startsWith('/tmp/')) return process.execPath;
  const found = ['/usr/local/bin/node', '/usr/bin/node'].find((p) => existsSync(p));
  if (!found) throw new Error(`no node an instance can see (${process.execPath} is under /tmp)`);
  return found;
}

/** Root, ip netns, nft, unshare, capsh and the built agent: what the Linux-host agent's tests need. */
export function agentAvailability(): Availability {
  const requiredBy = 'NFTABLES_REQUIRED';
  if (process.getuid?.() !== 0)
    return { available: false, reason: 'the Linux-host agent needs root', requiredBy };
  for (const [cmd, args, pkg] of [
    ['ip', ['netns', 'list'], 'iproute2'],
    ['nft', ['--version'], 'nftables'],
    ['unshare', ['--version'], 'util-linux'],
    ['capsh', ['--help'], 'libcap2-bin'],
  ] as const) {
    if (!works(cmd, [...args]))
      return { available: false, reason: `${cmd} is missing (apt-get install ${pkg})`, requiredBy };
  }
  if (!existsSync(MAIN)) {
    return {
      available: false,
      reason: 'apps/agent is not built (npx tsc -b tsconfig.build.json; npm test does it)',
      requiredBy,
    };
  }
  return { available: true, reason: '' };
}

export const TOKEN = 'test-token-'.padEnd(40, 'x');

/** One agent process, with its own name prefix and state dir; `stop()` ends it by PID. */
export class AgentProcess {
  readonly stateDir: string;
  private child?: ChildProcess;
  /** The port the agent bound (it is started on port 0), known after `start()`. */
  port = 0;

  /** Where the agent answers, known after `start()`. */
  get url(): string {
    return `http://${this.options.listenHost ?? '127.0.0.1'}:${this.port}`;
  }

  constructor(
    readonly prefix: string,
    private readonly options: {
      netns?: string;
      underlay?: string;
      listenHost?: string;
      stateDir?: string;
    } = {},
  ) {
    this.stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'sy-agent-'));
  }

  async start(): Promise<void> {
    const env = {
      ...process.env,
      AGENT_TOKEN: TOKEN,
      AGENT_LISTEN: `${this.options.listenHost ?? '127.0.0.1'}:0`,
      AGENT_STATE_DIR: this.stateDir,
      AGENT_NAME_PREFIX: this.prefix,
      AGENT_UNDERLAY_ADDRESS: this.options.underlay ?? '127.0.0.1',
    };
    const argv = [process.execPath, MAIN];
    // in a "host" namespace through nsenter: `ip netns exec` would remount /sys, where the cgroups are
    const [cmd, ...args] = this.options.netns
      ? ['nsenter', `--net=/run/netns/${this.options.netns}`, '--', ...argv]
      : argv;
    const child = spawn(cmd!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const errors: string[] = [];
    child.stderr!.on('data', (d: Buffer) => errors.push(d.toString()));
    await new Promise<void>((ok, fail) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (!line.includes('agent.listening')) return;
        this.port = (JSON.parse(line) as { port: number }).port;
        ok();
      });
      child.once('exit', (code) => fail(new Error(`agent exited with ${code}: ${errors.join('')}`)));
    });
  }

  async api(
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string | null; text?: boolean } = {},
  ) {
    const token = options.token === undefined ? TOKEN : options.token;
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = options.text ? 'text/plain' : 'application/json';
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : options.text ? String(body) : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  }

  /** Waits until the instance reaches `state` (fails at once on `error` unless that is awaited). */
  async waitFor(id: string, state: string, timeoutMs = 30_000): Promise<any> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { json } = await this.api('GET', `/v1/instances/${id}`);
      if (json?.state === state) return json;
      if (json?.state === 'error' && state !== 'error')
        throw new Error(`instance ${id} failed: ${json.error}`);
      if (Date.now() > until) throw new Error(`instance ${id} is ${json?.state}, not ${state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until the console shows `text` (runcmd runs after the instance is running). */
  async waitForConsole(id: string, text: string, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { text: console } = await this.api('GET', `/v1/instances/${id}/console`);
      if (console.includes(text)) return console;
      if (Date.now() > until) throw new Error(`console of ${id} never showed ${text}:\n${console}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  stop(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
  }

  removeState(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

const CGROUP_ROOTS = [
  '/sys/fs/cgroup',
  '/sys/fs/cgroup/unified',
  '/sys/fs/cgroup/cpu',
  '/sys/fs/cgroup/memory',
];

/**
 * Kernel objects whose names start with `prefix` (namespaces, links, nft tables, cgroups), links
 * and tables looked up in `netns` when given, and mounts under the agent's `stateDir`.
 */
export function kernelObjects(prefix: string, where: { netns?: string; stateDir?: string } = {}): string[] {
  const { netns, stateDir } = where;
  const inNs = (cmd: string, args: string[]) =>
    spawnSync(netns ? 'ip' : cmd, netns ? ['netns', 'exec', netns, cmd, ...args] : args, { encoding: 'utf8' })
      .stdout ?? '';
  const found: string[] = [];
  for (const line of spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n')) {
    if (line.startsWith(prefix)) found.push(`netns ${line.split(' ')[0]}`);
  }
  for (const link of JSON.parse(inNs('ip', ['-j', 'link', 'show']) || '[]') as { ifname: string }[]) {
    if (link.ifname.startsWith(prefix)) found.push(`link ${link.ifname}`);
  }
  for (const e of (JSON.parse(inNs('nft', ['-j', 'list', 'tables']) || '{"nftables":[]}') as any).nftables) {
    if (e.table?.name.startsWith(prefix)) found.push(`table ${e.table.family} ${e.table.name}`);
  }
  for (const root of CGROUP_ROOTS) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root)) if (name.startsWith(prefix)) found.push(`cgroup ${root}/${name}`);
  }
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const point = line.split(' ')[4] ?? '';
    if (stateDir && point.startsWith(`${stateDir}/`)) found.push(`mount ${point}`);
  }
  return found;
}

/** Last resort after a failed test: removes what carries `prefix` (cgroups' processes killed first). */
export function sweep(prefix: string, stateDir?: string): void {
  for (const root of CGROUP_ROOTS) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).filter((n) => n.startsWith(prefix))) {
      const kill = join(root, name, 'cgroup.kill');
      if (existsSync(kill)) writeFileSync(kill, '1');
    }
  }
  if (stateDir) {
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const point = line.split(' ')[4] ?? '';
      if (point.startsWith(stateDir)) spawnSync('umount', ['--lazy', point]);
    }
  }
  for (const line of spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n')) {
    const ns = line.split(' ')[0] ?? '';
    if (ns.startsWith(prefix)) spawnSync('ip', ['netns', 'delete', ns]);
  }
  for (const link of JSON.parse(
    spawnSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' }).stdout || '[]',
  )) {
    if (link.ifname.startsWith(prefix)) spawnSync('ip', ['link', 'delete', link.ifname]);
  }
  for (const e of JSON.parse(
    spawnSync('nft', ['-j', 'list', 'tables'], { encoding: 'utf8' }).stdout || '{"nftables":[]}',
  ).nftables) {
    if (e.table?.name.startsWith(prefix)) spawnSync('nft', ['delete', 'table', e.table.family, e.table.name]);
  }
  for (const root of CGROUP_ROOTS) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).filter((n) => n.startsWith(prefix)))
      spawnSync('rmdir', [join(root, name)]);
  }
}
