import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Availability } from './skips.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
/** Where Debian's containernetworking-plugins puts its plugins. */
export const DEBIAN_CNI_DIR = '/usr/lib/cni';

/** Debian's containernetworking-plugins (portmap), for chaining after switchyard-cni. */
export function debianPluginsAvailability(): Availability {
  return existsSync(join(DEBIAN_CNI_DIR, 'portmap'))
    ? { available: true, reason: '', requiredBy: 'NFTABLES_REQUIRED' }
    : {
        available: false,
        reason: `${DEBIAN_CNI_DIR}/portmap is missing (apt-get install containernetworking-plugins)`,
        requiredBy: 'NFTABLES_REQUIRED',
      };
}

export interface Attachment {
  containerId: string;
  /** The container's namespace, as a path (what CNI_NETNS carries). */
  netns: string;
  ifname: string;
  args?: string;
}

export interface PluginRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it is JSON. */
  json?: any;
}

/**
 * A container runtime in miniature, for tests: a "runtime" namespace (`syc<pid>rt`) in which the
 * plugins run (the spec runs them in the runtime's network domain), containers as namespaces
 * (`syc<pid>k<n>`), plugins executed exactly as a runtime does (absolute path, CNI_* environment,
 * configuration on stdin, a runtime's PATH). Switchyard listens on loopback; the runtime namespace
 * reaches it through a veth pair (`syc<pid>up`) and a forwarder in this process. `cleanup()` removes
 * every namespace, link and directory it made, by name.
 */
export class CniLab {
  readonly prefix = `syc${process.pid}`;
  readonly runtimeNs = `${this.prefix}rt`;
  readonly stateDir: string;
  readonly binDir: string;
  /** The API's URL as seen from the runtime namespace. */
  apiUrl = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'syc-cni-'));
  private readonly namespaces: string[] = [];
  private containers = 0;
  private forwarder?: Server;
  private readonly uplink = `${this.prefix}up`;
  private readonly octet = (process.pid % 250) + 1;

  constructor() {
    this.stateDir = join(this.dir, 'state');
    this.binDir = join(this.dir, 'bin');
  }

  /** The runtime namespace, its way to the API, and switchyard-cni installed as the README says. */
  async start(apiPort: number): Promise<void> {
    await this.addNamespace(this.runtimeNs);
    await ip('-n', this.runtimeNs, 'link', 'set', 'lo', 'up');
    await ip('link', 'add', this.uplink, 'type', 'veth', 'peer', 'name', 'up0', 'netns', this.runtimeNs);
    const here = `169.254.${this.octet}.1`;
    await ip('addr', 'add', `${here}/30`, 'dev', this.uplink);
    await ip('link', 'set', this.uplink, 'up');
    await ip('-n', this.runtimeNs, 'addr', 'add', `169.254.${this.octet}.2/30`, 'dev', 'up0');
    await ip('-n', this.runtimeNs, 'link', 'set', 'up0', 'up');
    this.forwarder = createServer((inbound) => {
      const outbound = connect(apiPort, '127.0.0.1');
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
    });
    const server = this.forwarder;
    const port = await new Promise<number>((ok) =>
      server.listen(0, here, () => ok((server.address() as { port: number }).port)),
    );
    this.apiUrl = `http://${here}:${port}`;
    await run(process.execPath, [join(root, 'apps/agent/dist/cni/install-cni.js'), this.binDir]);
  }

  /** This host's end of the uplink (a stand-in for another host's underlay address). */
  get uplinkAddress(): string {
    return `169.254.${this.octet}.1`;
  }

  /**
   * A host outside every tenant, routed through the runtime namespace (which sits between it and the
   * containers' networks, forwarding): its own namespace with 169.254.N.6, default route via .5.
   */
  async outsideHost(): Promise<{ ns: string; ip: string }> {
    const ns = `${this.prefix}out`;
    await this.addNamespace(ns);
    await ip(
      '-n',
      this.runtimeNs,
      'link',
      'add',
      'out0',
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      ns,
    );
    await ip('-n', this.runtimeNs, 'addr', 'add', `169.254.${this.octet}.5/30`, 'dev', 'out0');
    await ip('-n', this.runtimeNs, 'link', 'set', 'out0', 'up');
    await ip('-n', ns, 'addr', 'add', `169.254.${this.octet}.6/30`, 'dev', 'eth0');
    await ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    await ip('-n', ns, 'route', 'add', 'default', 'via', `169.254.${this.octet}.5`);
    return { ns, ip: `169.254.${this.octet}.6` };
  }

  /** A sysctl of the runtime namespace (its own copy of net.*). */
  async sysctlInRuntime(key: string, value: string): Promise<void> {
    await run('ip', ['netns', 'exec', this.runtimeNs, 'sysctl', '-q', '-w', `${key}=${value}`]);
  }

  /** `bridge ARGS` inside a namespace (by name). */
  async bridgeIn(netns: string, ...args: string[]): Promise<string> {
    return (await run('bridge', ['-n', netns.split('/').pop()!, ...args])).stdout;
  }

  /** The runtime namespace's own address (portmap's host ports answer there). */
  get runtimeAddress(): string {
    return `169.254.${this.octet}.2`;
  }

  /** A new, empty container namespace; answers its path. */
  async container(): Promise<string> {
    const ns = `${this.prefix}k${this.containers++}`;
    await this.addNamespace(ns);
    return `/run/netns/${ns}`;
  }

  async removeContainer(netnsPath: string): Promise<void> {
    await ip('netns', 'del', netnsPath.split('/').pop()!);
  }

  /** Runs a plugin (`switchyard-cni` or one of Debian's) in the runtime namespace, as a runtime does. */
  exec(
    plugin: string,
    command: string,
    config: object | string,
    at?: Attachment,
    env: Record<string, string> = {},
  ): Promise<PluginRun> {
    const path = plugin === 'switchyard-cni' ? join(this.binDir, plugin) : join(DEBIAN_CNI_DIR, plugin);
    const vars: Record<string, string> = {
      // a runtime's environment, not this test's: no Node on the PATH
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_PATH: `${this.binDir}:${DEBIAN_CNI_DIR}`,
      ...(at
        ? {
            CNI_CONTAINERID: at.containerId,
            CNI_NETNS: at.netns,
            CNI_IFNAME: at.ifname,
            ...(at.args ? { CNI_ARGS: at.args } : {}),
          }
        : {}),
      ...env,
    };
    const child = spawn('ip', ['netns', 'exec', this.runtimeNs, 'env', '-i', ...envArgs(vars), path], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.end(typeof config === 'string' ? config : JSON.stringify(config));
    return new Promise((ok) =>
      child.on('close', (exitCode) => {
        const stdout = Buffer.concat(out).toString();
        let json: unknown;
        try {
          json = stdout ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        ok({ exitCode, stdout, stderr: Buffer.concat(err).toString(), json });
      }),
    );
  }

  /** `ip ARGS` inside a namespace (by path or name), its JSON output parsed when `-j` is given. */
  async ipIn(netns: string, ...args: string[]): Promise<any> {
    const name = netns.split('/').pop()!;
    const { stdout } = await run('ip', ['-n', name, ...args]);
    return args.includes('-j') ? JSON.parse(stdout || '[]') : stdout;
  }

  async nftIn(netns: string, ...args: string[]): Promise<string> {
    const name = netns.split('/').pop()!;
    return (await run('ip', ['netns', 'exec', name, 'nft', ...args])).stdout;
  }

  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    await new Promise<void>((ok) => (this.forwarder ? this.forwarder.close(() => ok()) : ok()));
    for (const ns of [...this.namespaces].reverse()) {
      if (!spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split(/\s/).includes(ns)) continue;
      const r = spawnSync('ip', ['netns', 'del', ns], { encoding: 'utf8' });
      if (r.status !== 0) problems.push(`ip netns del ${ns}: ${r.stderr.trim()}`);
    }
    // the uplink's peer was in the runtime namespace: deleting that took both ends
    if (spawnSync('ip', ['link', 'show', this.uplink], { stdio: 'ignore' }).status === 0) {
      spawnSync('ip', ['link', 'del', this.uplink]);
    }
    rmSync(this.dir, { recursive: true, force: true });
    return problems;
  }

  /** Namespaces and links of this lab still there. */
  leftovers(): string[] {
    const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(this.prefix));
    const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((l) => l.split(': ')[1]?.split('@')[0] ?? '')
      .filter((n) => n.startsWith(this.prefix));
    return [...namespaces, ...links];
  }

  private async addNamespace(ns: string): Promise<void> {
    await ip('netns', 'add', ns);
    this.namespaces.push(ns);
  }
}

function envArgs(vars: Record<string, string>): string[] {
  return Object.entries(vars).map(([k, v]) => `${k}=${v}`);
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}
