import { spawn } from 'node:child_process';

/** Network namespaces on one bridge, each with one address: endpoints for packet figures. */
export interface NetnsEndpoints {
  bridge: string;
  /** Namespace names, in the order of the addresses given. */
  namespaces: string[];
  remove(): Promise<void>;
}

/** Runs a shell script (as root); rejects with its stderr when it fails. */
export function sh(script: string, input?: string): Promise<string> {
  return run('sh', ['-e', '-c', script], input);
}

/** Runs a command with `input` on its stdin; rejects with its stderr when it fails. */
export function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err.trim()}`)),
    );
    child.stdin.end(input ?? '');
  });
}

// a fixed MAC per endpoint, so that neighbour entries can be written before any packet
function macOf(i: number): string {
  return `02:5b:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
}

/**
 * A bridge `<prefix>br` and per address a namespace `<prefix>n<i>` whose `eth0` (the peer of
 * `<prefix>v<i>` on the bridge) holds it. The first endpoint is the hub that talks to every other:
 * its neighbour entries for them, and theirs for it, are written as permanent (the kernel's
 * neighbour table is shared by all namespaces and holds 1,024 learnt entries by default; permanent
 * ones do not count). `remove` deletes every one of them (a namespace takes its veth pair and its
 * entries with it), also after a partial setup.
 */
export async function netnsEndpoints(
  prefix: string,
  addresses: string[],
  prefixLength: number,
): Promise<NetnsEndpoints> {
  const bridge = `${prefix}br`;
  const namespaces = addresses.map((_, i) => `${prefix}n${i}`);
  const made = { bridge: false, namespaces: [] as string[] };
  const remove = async () => {
    for (let i = 0; i < made.namespaces.length; i += 200) {
      const batch = made.namespaces.slice(i, i + 200);
      await sh(batch.map((ns) => `ip netns delete ${ns} 2>/dev/null || true`).join('\n'));
    }
    made.namespaces = [];
    if (made.bridge) await sh(`ip link delete ${bridge}`);
    made.bridge = false;
  };
  try {
    await sh(`ip link add ${bridge} type bridge && ip link set ${bridge} up`);
    made.bridge = true;
    for (let i = 0; i < addresses.length; i += 100) {
      const script = addresses
        .slice(i, i + 100)
        .map((address, j) => {
          const n = i + j;
          const ns = namespaces[n]!;
          return [
            `ip netns add ${ns}`,
            `ip link add ${prefix}v${n} type veth peer name eth0 netns ${ns}`,
            `ip link set ${prefix}v${n} master ${bridge} up`,
            `ip -n ${ns} link set eth0 address ${macOf(n)}`,
            `ip -n ${ns} addr add ${address}/${prefixLength} dev eth0`,
            `ip -n ${ns} link set eth0 up`,
            `ip -n ${ns} link set lo up`,
            ...(n === 0
              ? []
              : [`ip -n ${ns} neigh replace ${addresses[0]} lladdr ${macOf(0)} dev eth0 nud permanent`]),
          ].join('\n');
        })
        .join('\n');
      made.namespaces.push(...namespaces.slice(i, i + 100));
      await sh(script);
    }
    const hub = addresses
      .slice(1)
      .map((address, i) => `neigh replace ${address} lladdr ${macOf(i + 1)} dev eth0 nud permanent`)
      .join('\n');
    if (hub) await sh(`ip -n ${namespaces[0]} -batch -`, `${hub}\n`);
    return { bridge, namespaces, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
