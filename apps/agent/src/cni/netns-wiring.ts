import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CniCode, CniError } from './cni-error.js';

// The kernel calls of the plugin: ip, bridge, nft, each run as an argv array (no shell), inside the
// container's namespace through nsenter. Every name and value is checked before it gets here.
// NOTE: to be replaced by apps/agent/src/host-network's wrappers once both branches are merged.

const run = promisify(execFile);
// runtimes call plugins with whatever PATH they have; ip and nft live in sbin
const PATH = [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin']
  .filter(Boolean)
  .join(':');

const LINK = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const TABLE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function checked(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value))
    throw new CniError(CniCode.InvalidConfig, `invalid ${what}`, JSON.stringify(value));
  return value;
}

/** A command's failure as a CNI error naming the command and what it said. */
async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { env: { ...process.env, PATH }, maxBuffer: 16 << 20 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; code?: string | number };
    const said = (e.stderr ?? '').trim() || String(e.code);
    throw new CniError(CniCode.KernelCallFailed, `${cmd} failed`, `${cmd} ${args.join(' ')}: ${said}`);
  }
}

/** `ip` in the plugin's own namespace, or (netns given) in the container's. */
function ip(netns: string | undefined, ...args: string[]): Promise<string> {
  return netns ? sh('nsenter', [`--net=${netns}`, '--', 'ip', ...args]) : sh('ip', args);
}

const missingDevice = (err: unknown) =>
  err instanceof CniError && /Cannot find device|does not exist/i.test(err.details);

export function netnsExists(path: string): boolean {
  return path !== '' && existsSync(path);
}

export async function linkExists(name: string, netns?: string): Promise<boolean> {
  try {
    await ip(netns, 'link', 'show', 'dev', checked('link name', name, LINK));
    return true;
  } catch (err) {
    if (missingDevice(err)) return false;
    throw err;
  }
}

/** The bridge, made and brought up when missing; the gateway's address on it when given. */
export async function ensureBridge(name: string, gatewayCidr: string, mtu?: number): Promise<void> {
  checked('bridge name', name, LINK);
  if (!(await linkExists(name))) {
    await ip(undefined, 'link', 'add', name, ...(mtu ? ['mtu', String(mtu)] : []), 'type', 'bridge');
  }
  if (gatewayCidr) await ip(undefined, 'addr', 'replace', checked('gateway', gatewayCidr, CIDR), 'dev', name);
  await ip(undefined, 'link', 'set', name, 'up');
}

/** A VXLAN device (VNI, UDP 4789) on the bridge, flooding to every remote VTEP. */
export async function ensureVxlan(
  name: string,
  vni: number,
  localAddress: string,
  bridge: string,
  remotes: readonly string[],
): Promise<void> {
  checked('vxlan name', name, LINK);
  if (!Number.isInteger(vni) || vni < 1 || vni > 16_777_215)
    throw new CniError(CniCode.InvalidConfig, 'invalid VNI', String(vni));
  if (!(await linkExists(name))) {
    await ip(
      undefined,
      'link',
      'add',
      name,
      'type',
      'vxlan',
      'id',
      String(vni),
      'dstport',
      '4789',
      'local',
      checked('underlay address', localAddress, IPV4),
      'nolearning',
    );
  }
  await ip(undefined, 'link', 'set', name, 'master', checked('bridge name', bridge, LINK), 'up');
  const fdb = await sh('bridge', ['fdb', 'show', 'dev', name]);
  for (const remote of remotes) {
    if (fdb.includes(`dst ${checked('remote VTEP', remote, IPV4)} `)) continue;
    await sh('bridge', ['fdb', 'append', '00:00:00:00:00:00', 'dev', name, 'dst', remote]);
  }
}

/** A veth pair: `hostName` here, `ifname` created inside the container's namespace. */
export async function createVeth(
  hostName: string,
  ifname: string,
  netns: string,
  mtu?: number,
): Promise<void> {
  const m = mtu ? ['mtu', String(mtu)] : [];
  await ip(
    undefined,
    'link',
    'add',
    checked('host interface', hostName, LINK),
    ...m,
    'type',
    'veth',
    'peer',
    'name',
    checked('interface name', ifname, LINK),
    ...m,
    'netns',
    netns,
  );
}

export async function plugIntoBridge(hostName: string, bridge: string): Promise<void> {
  await ip(
    undefined,
    'link',
    'set',
    checked('host interface', hostName, LINK),
    'master',
    checked('bridge', bridge, LINK),
    'up',
  );
}

/** The container's side: the fabric's MAC and address, up, its default route via the gateway. */
export async function configureContainer(
  netns: string,
  ifname: string,
  cfg: { mac: string; address: string; gateway: string },
): Promise<void> {
  checked('interface name', ifname, LINK);
  await ip(netns, 'link', 'set', 'dev', ifname, 'address', checked('MAC', cfg.mac, MAC));
  await ip(netns, 'addr', 'replace', checked('address', cfg.address, CIDR), 'dev', ifname);
  await ip(netns, 'link', 'set', 'dev', ifname, 'up');
  await ip(netns, 'link', 'set', 'dev', 'lo', 'up');
  if (cfg.gateway) {
    await ip(
      netns,
      'route',
      'replace',
      'default',
      'via',
      checked('gateway', cfg.gateway, IPV4),
      'dev',
      ifname,
    );
  }
}

/** The host side's MAC, as the result lists it. */
export async function macOf(name: string, netns?: string): Promise<string> {
  const [link] = JSON.parse(await ip(netns, '-j', 'link', 'show', 'dev', checked('link', name, LINK))) as {
    address?: string;
  }[];
  return link?.address ?? '';
}

/** What CHECK compares with the previous result: the interface's MAC, addresses, state, default route. */
export async function containerInterface(
  netns: string,
  ifname: string,
): Promise<{ mac: string; addresses: string[]; up: boolean; defaultVia: string[] } | undefined> {
  if (!(await linkExists(ifname, netns))) return undefined;
  const [link] = JSON.parse(await ip(netns, '-j', 'addr', 'show', 'dev', ifname)) as {
    address?: string;
    flags?: string[];
    addr_info?: { family: string; local: string; prefixlen: number }[];
  }[];
  const routes = JSON.parse(await ip(netns, '-j', 'route', 'show', 'default', 'dev', ifname)) as {
    gateway?: string;
  }[];
  return {
    mac: link?.address ?? '',
    addresses: (link?.addr_info ?? [])
      .filter((a) => a.family === 'inet')
      .map((a) => `${a.local}/${a.prefixlen}`),
    up: (link?.flags ?? []).includes('UP'),
    defaultVia: routes.map((r) => r.gateway ?? ''),
  };
}

/** The bridge a host interface is plugged into ('' when none). */
export async function masterOf(name: string): Promise<string> {
  const [link] = JSON.parse(
    await ip(undefined, '-j', 'link', 'show', 'dev', checked('link', name, LINK)),
  ) as {
    master?: string;
  }[];
  return link?.master ?? '';
}

/** Deletes a link (a veth takes its peer with it); a missing one is fine. */
export async function deleteLink(name: string, netns?: string): Promise<void> {
  try {
    await ip(netns, 'link', 'del', 'dev', checked('link', name, LINK));
  } catch (err) {
    if (!missingDevice(err)) throw err;
  }
}

/** Loads a ruleset in the container's namespace with `nft -f` (a table is replaced atomically). */
export async function loadRuleset(netns: string, text: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-cni-'));
  try {
    const file = join(dir, 'ruleset.nft');
    await writeFile(file, text, { mode: 0o600 });
    await sh('nsenter', [`--net=${netns}`, '--', 'nft', '-f', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes the ruleset's table from the container's namespace; a missing one is fine. */
export async function deleteTable(netns: string, table: string): Promise<void> {
  if (await tableExists(netns, table)) {
    await sh('nsenter', [`--net=${netns}`, '--', 'nft', 'delete', 'table', 'inet', table]);
  }
}

export async function tableExists(netns: string, table: string): Promise<boolean> {
  try {
    await sh('nsenter', [
      `--net=${netns}`,
      '--',
      'nft',
      'list',
      'table',
      'inet',
      checked('nft table', table, TABLE),
    ]);
    return true;
  } catch (err) {
    if (err instanceof CniError && /No such file|does not exist/i.test(err.details)) return false;
    throw err;
  }
}

/** The commands the plugin needs that this host lacks. */
export async function missingTools(): Promise<string[]> {
  const probes: [string, string[]][] = [
    ['ip', ['-V']],
    ['bridge', ['-V']],
    ['nft', ['--version']],
    ['nsenter', ['--version']],
  ];
  const missing: string[] = [];
  for (const [cmd, args] of probes) {
    await sh(cmd, args).catch(() => missing.push(cmd));
  }
  return missing;
}
