import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { LinuxHostAdapter, type RetryPolicy } from '@switchyard/cloud-adapters';
import { PacketAgent } from '../integration/fabric/netns-lab.js';
import { freePort, Proc } from './processes.js';
import type { Availability } from './skips.js';

const run = promisify(execFile);
const AGENT_MAIN = resolve(import.meta.dirname, '../../apps/agent/dist/main.js');
const PACKET_AGENT = resolve(import.meta.dirname, '../integration/fabric/packet-agent.mjs');

/** Root on Linux, iproute2, nftables and the built agent: what a real host agent needs here. */
export function hostAgentAvailability(): Availability {
  const requiredBy = 'NFTABLES_REQUIRED';
  const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return { available: false, reason: 'the host agent needs root on Linux', requiredBy };
  }
  if (!works('ip', ['netns', 'list'])) {
    return { available: false, reason: '`ip netns` is missing (apt-get install iproute2)', requiredBy };
  }
  if (!works('nft', ['--version'])) {
    return { available: false, reason: 'nft is missing (apt-get install nftables)', requiredBy };
  }
  if (!existsSync(AGENT_MAIN)) {
    return { available: false, reason: `the host agent is not built (${AGENT_MAIN})`, requiredBy };
  }
  return { available: true, reason: '', requiredBy };
}

/** A host agent this test started: its own name prefix (with the PID), state dir and token. */
export interface HostAgent {
  url: string;
  token: string;
  /** The token in a file of mode 0600 (what SWITCHYARD_DEMO_CLOUDS names). */
  tokenFile: string;
  /** Every kernel object the agent makes starts with it. */
  prefix: string;
  proc: Proc;
  adapter(retry?: RetryPolicy): LinuxHostAdapter;
  /** Stops the agent by its PID and removes its state dir. */
  stop(): Promise<void>;
}

/** Starts `node apps/agent/dist/main.js` on a free loopback port; `tag` keeps prefixes of one file apart. */
export async function startHostAgent(tag = 'a'): Promise<HostAgent> {
  // at most 8 characters: a letter, the file's tag, the PID in base 36
  const prefix = `${tag}${process.pid.toString(36)}`.slice(0, 8);
  const token = randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'syd-agent-'));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const port = await freePort();
  const child = spawn(process.execPath, [AGENT_MAIN], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      AGENT_TOKEN: token,
      AGENT_LISTEN: `127.0.0.1:${port}`,
      AGENT_STATE_DIR: join(dir, 'state'),
      AGENT_NAME_PREFIX: prefix,
      AGENT_HOST_ID: `test-${prefix}`,
    },
  });
  const proc = new Proc('host agent', child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`the host agent did not answer at ${url}:\n${proc.log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    token,
    tokenFile,
    prefix,
    proc,
    adapter: (retry) =>
      new LinuxHostAdapter({
        agentUrl: url,
        token,
        requestTimeoutMs: 60_000,
        ...(retry ? { retry } : {}),
      }),
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the kernel still holds with the prefix: network namespaces, links (bridges, veths, VXLAN
 * devices), nftables tables, cgroups and mounts. Empty when everything made with it is gone.
 */
export async function kernelLeftovers(prefix: string): Promise<string[]> {
  const mine = (name: string) => name.startsWith(prefix);
  const netns = (await run('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter(mine)
    .map((n) => `netns ${n}`);
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout
    .split('\n')
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0] ?? '')
    .filter(mine)
    .map((n) => `link ${n}`);
  const tables = (await run('nft', ['list', 'tables'])).stdout
    .split('\n')
    .map((l) => l.trim().split(' ').at(-1) ?? '')
    .filter(mine)
    .map((t) => `nft table ${t}`);
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ').some((field) => field.split('/').some(mine)))
    .map((l) => `mount ${l.split(' ')[1]}`);
  return [...netns, ...links, ...tables, ...cgroupsWith(prefix), ...mounts];
}

// cgroup directories named with the prefix, down to a few levels (v2 unified, or v1 controllers)
function cgroupsWith(prefix: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 3) return;
    let entries: string[];
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.startsWith(prefix)) found.push(`cgroup ${join(dir, name)}`);
      else walk(join(dir, name), depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found;
}

/**
 * packet-agent.mjs inside a namespace (`ip netns exec`): listens on `ports` and sends probes from
 * there, so its packets pass the namespace's own ruleset both ways. Stopped with `stop()` by PID.
 */
export async function packetAgentIn(
  ns: string,
  ports: readonly string[],
): Promise<{ agent: PacketAgent; stop: () => void }> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PACKET_AGENT, ports.join(',')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise<void>((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      if (line.includes('"ready"')) ok();
      else fail(new Error(`packet agent in ${ns}: ${line}`));
    });
    child.once('exit', (code) => fail(new Error(`packet agent in ${ns} exited with ${code}`)));
  });
  return { agent: new PacketAgent(child), stop: () => child.kill('SIGKILL') };
}

/** The network namespace (of those with the prefix) whose interfaces hold `address`. */
export async function namespaceOf(prefix: string, address: string): Promise<string> {
  const names = (await run('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(prefix));
  for (const ns of names) {
    const addrs = (await run('ip', ['-n', ns, '-4', '-o', 'addr', 'show'])).stdout;
    if (addrs.split(/\s+/).some((field) => field.split('/')[0] === address)) return ns;
  }
  throw new Error(`no namespace with prefix ${prefix} holds ${address} (of ${names.join(', ') || 'none'})`);
}
