import { existsSync } from 'node:fs';
import { checkRulesetText, CommandError, hostNames, spawnRunner } from '../host-network/index.js';

// What the plugin does inside a container's namespace. Runtimes name it by path (CNI_NETNS, e.g.
// /proc/PID/ns/net), not by a name under /run/netns, so commands enter it with `nsenter --net=PATH`
// rather than host-network's `ip -n NAME`. Same runner (argv only) and the same name checks.
// NOTE: host-network could take a namespace path too; these few calls would then move there.

function inNs(netns: string, command: string, args: string[], input?: string) {
  return spawnRunner.run('nsenter', [`--net=${netns}`, '--', command, ...args], { input });
}

const saysMissing = (err: unknown) =>
  err instanceof CommandError && /cannot find device|does not exist|no such file/i.test(err.stderr);

export function netnsExists(path: string): boolean {
  return path !== '' && existsSync(path);
}

export async function linkExistsIn(netns: string, name: string): Promise<boolean> {
  try {
    await inNs(netns, 'ip', ['link', 'show', 'dev', hostNames.linkName(name)]);
    return true;
  } catch (err) {
    if (saysMissing(err)) return false;
    throw err;
  }
}

/** A veth pair: `hostName` in the plugin's namespace, `ifname` made directly in the container's. */
export async function createVeth(
  hostName: string,
  ifname: string,
  netns: string,
  mtu?: number,
): Promise<void> {
  const m = mtu ? ['mtu', String(mtu)] : [];
  const peer = ['peer', 'name', hostNames.linkName(ifname), ...m, 'netns', netns];
  await spawnRunner.run('ip', [
    'link',
    'add',
    'name',
    hostNames.linkName(hostName),
    ...m,
    'type',
    'veth',
    ...peer,
  ]);
}

/** The container's side: the fabric's MAC and address, up, its default route via the gateway. */
export async function configureContainer(
  netns: string,
  ifname: string,
  cfg: { mac: string; address: string; gateway: string },
): Promise<void> {
  const dev = hostNames.linkName(ifname);
  await inNs(netns, 'ip', ['link', 'set', 'dev', dev, 'address', hostNames.macAddress(cfg.mac)]);
  await inNs(netns, 'ip', ['addr', 'replace', hostNames.ipv4Cidr(cfg.address), 'dev', dev]);
  await inNs(netns, 'ip', ['link', 'set', 'dev', dev, 'up']);
  await inNs(netns, 'ip', ['link', 'set', 'dev', 'lo', 'up']);
  if (cfg.gateway) {
    await inNs(netns, 'ip', ['route', 'replace', 'default', 'via', hostNames.ipv4(cfg.gateway), 'dev', dev]);
  }
}

/** What CHECK compares with the previous result: the interface's MAC, IPv4 addresses, state. */
export async function containerInterface(
  netns: string,
  ifname: string,
): Promise<{ mac: string; addresses: string[]; up: boolean } | undefined> {
  if (!(await linkExistsIn(netns, ifname))) return undefined;
  const { stdout } = await inNs(netns, 'ip', ['-j', 'addr', 'show', 'dev', hostNames.linkName(ifname)]);
  const [link] = JSON.parse(stdout || '[]') as {
    address?: string;
    flags?: string[];
    addr_info?: { family: string; local: string; prefixlen: number }[];
  }[];
  return {
    mac: link?.address ?? '',
    addresses: (link?.addr_info ?? [])
      .filter((a) => a.family === 'inet')
      .map((a) => `${a.local}/${a.prefixlen}`),
    up: (link?.flags ?? []).includes('UP'),
  };
}

/** Loads a ruleset in the namespace (`nft -f -`, atomic; no `include`, as host-network checks). */
export async function loadRuleset(netns: string, text: string): Promise<void> {
  await inNs(netns, 'nft', ['-f', '-'], checkRulesetText(text));
}

export async function tableExists(netns: string, table: string): Promise<boolean> {
  try {
    await inNs(netns, 'nft', ['list', 'table', 'inet', hostNames.nftTableName(table)]);
    return true;
  } catch (err) {
    if (saysMissing(err)) return false;
    throw err;
  }
}

/** Removes the ruleset's table from the namespace; a missing one is fine. */
export async function deleteTable(netns: string, table: string): Promise<void> {
  try {
    await inNs(netns, 'nft', ['delete', 'table', 'inet', hostNames.nftTableName(table)]);
  } catch (err) {
    if (!saysMissing(err)) throw err;
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
  for (const [cmd, args] of probes) await spawnRunner.run(cmd, args).catch(() => missing.push(cmd));
  return missing;
}
