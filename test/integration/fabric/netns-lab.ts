import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Availability } from '../../support/skips.js';

const run = promisify(execFile);
const AGENT = resolve(import.meta.dirname, 'packet-agent.mjs');

/** Root, `ip netns` and `nft`: what building namespaces and loading rulesets needs. */
export function netnsAvailability(): Availability {
  const requiredBy = 'NFTABLES_REQUIRED';
  const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0) {
    return { available: false, reason: 'network namespaces and nftables need root', requiredBy };
  }
  if (!works('ip', ['netns', 'list'])) {
    return { available: false, reason: '`ip netns` is missing (apt-get install iproute2)', requiredBy };
  }
  if (!works('nft', ['--version'])) {
    return {
      available: false,
      reason: 'nft is missing (apt-get install nftables; npm test does it as root on Debian)',
      requiredBy,
    };
  }
  return { available: true, reason: '', requiredBy };
}

export type ProbeOutcome = { outcome: 'reached' | 'blocked' | 'error'; detail?: string };

/** A process in a namespace that listens and sends probes (packet-agent.mjs). */
export class PacketAgent {
  private next = 1;
  private readonly waiting = new Map<number, (o: ProbeOutcome) => void>();

  constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as ProbeOutcome & { id: number };
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    });
  }

  probe(proto: 'tcp' | 'udp', host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
    const id = this.next++;
    return new Promise((ok) => {
      this.waiting.set(id, ok);
      this.child.stdin!.write(JSON.stringify({ id, proto, host, port, timeoutMs }) + '\n');
    });
  }
}

/**
 * Network namespaces on one bridge, made by this test run and named after its PID (`syt<pid>…`),
 * so that a run removes exactly what it made: `cleanup()` deletes every namespace it created, by
 * name, which takes their veths and the bridge with them, after stopping its agents by PID.
 */
export class NetnsLab {
  readonly prefix = `syt${process.pid}`;
  private readonly namespaces: string[] = [];
  private readonly agents: ChildProcess[] = [];
  private dir = '';
  private readonly switchNs = `${this.prefix}sw`;
  private hosts = 0;

  /** The namespace holding the bridge every host is plugged into. */
  async start(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'syt-nft-'));
    await this.addNamespace(this.switchNs);
    await ip('-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', this.switchNs, 'link', 'set', 'br0', 'up');
  }

  /** A namespace with one interface on the bridge holding `address/prefix`, its default route on it. */
  async host(address: string, prefix: number): Promise<string> {
    const i = this.hosts++;
    const ns = `${this.prefix}h${i}`;
    await this.addNamespace(ns);
    await ip(
      '-n',
      this.switchNs,
      'link',
      'add',
      `v${i}`,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      ns,
    );
    await ip('-n', this.switchNs, 'link', 'set', `v${i}`, 'master', 'br0', 'up');
    await ip('-n', ns, 'addr', 'add', `${address}/${prefix}`, 'dev', 'eth0');
    await ip('-n', ns, 'link', 'set', 'eth0', 'up');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    await ip('-n', ns, 'route', 'add', 'default', 'dev', 'eth0');
    return ns;
  }

  /** A namespace with only its loopback up (`uplink` connects it to this one). */
  async bare(): Promise<string> {
    const ns = `${this.prefix}b${this.hosts++}`;
    await this.addNamespace(ns);
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /**
   * A veth from the test's own network namespace into `ns`, `hostAddress/30` on this side and
   * `nsAddress/30` on the other, so that a process in `ns` can reach a server the test runs here.
   * Deleting the namespace (cleanup) deletes both ends.
   */
  async uplink(ns: string, hostAddress: string, nsAddress: string): Promise<void> {
    const name = `${this.prefix}u${this.hosts++}`;
    await ip('link', 'add', name, 'type', 'veth', 'peer', 'name', 'up0', 'netns', ns);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', name);
    await ip('link', 'set', name, 'up');
    await ip('-n', ns, 'addr', 'add', `${nsAddress}/30`, 'dev', 'up0');
    await ip('-n', ns, 'link', 'set', 'up0', 'up');
  }

  /** Loads a ruleset inside the namespace with `nft -f`, as a VM's boot would. */
  async loadRuleset(ns: string, ruleset: string): Promise<void> {
    const file = join(this.dir, `${ns}.nft`);
    writeFileSync(file, ruleset);
    await run('ip', ['netns', 'exec', ns, 'nft', '-f', file]);
  }

  /** Starts packet-agent.mjs inside the namespace, listening on `ports` (`80/tcp`, `53/udp`). */
  async agent(ns: string, ports: readonly string[]): Promise<PacketAgent> {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, AGENT, ports.join(',')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.agents.push(child);
    await new Promise<void>((ok, fail) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        lines.close();
        if (line.includes('"ready"')) ok();
        else fail(new Error(`agent in ${ns}: ${line}`));
      });
      child.once('exit', (code) => fail(new Error(`agent in ${ns} exited with ${code}`)));
    });
    return new PacketAgent(child);
  }

  async cleanup(): Promise<string[]> {
    for (const child of this.agents) child.kill('SIGKILL');
    const problems: string[] = [];
    for (const ns of [...this.namespaces].reverse()) {
      const result = spawnSync('ip', ['netns', 'del', ns], { encoding: 'utf8' });
      if (result.status !== 0) problems.push(`ip netns del ${ns}: ${result.stderr.trim()}`);
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    return problems;
  }

  /** Namespaces this lab made that still exist. */
  leftovers(): string[] {
    const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    return list
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => this.namespaces.includes(n));
  }

  private async addNamespace(ns: string): Promise<void> {
    await ip('netns', 'add', ns);
    this.namespaces.push(ns);
  }
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}
