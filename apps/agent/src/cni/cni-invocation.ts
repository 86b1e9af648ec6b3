import { CniCode, CniError } from './cni-error.js';

export const COMMANDS = ['ADD', 'DEL', 'CHECK', 'STATUS', 'GC', 'VERSION'] as const;
export type CniCommand = (typeof COMMANDS)[number];

/** What the runtime passes in the environment (CNI spec 1.1.0, section 2 "Parameters"). */
export interface Invocation {
  command: CniCommand;
  containerId: string;
  /** Path of the container's network namespace ('' when DEL is called without one). */
  netns: string;
  ifname: string;
  /** CNI_ARGS as key/value pairs. */
  args: Record<string, string>;
}

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * The environment with a PATH that finds `ip` and `nft`: runtimes call plugins with a PATH of their
 * own, which may lack the sbin directories. The one place the plugin changes its environment.
 */
export function withSystemPath(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const path = [env.PATH, '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin']
    .filter(Boolean)
    .join(':');
  return Object.assign(env, { PATH: path });
}

/** The environment each command needs, checked; every bad variable is named (code 4). */
export function parseInvocation(env: NodeJS.ProcessEnv): Invocation {
  const command = env.CNI_COMMAND ?? '';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new CniError(
      CniCode.InvalidEnvironment,
      'invalid environment variables',
      `CNI_COMMAND: "${command}" is not one of ${COMMANDS.join(', ')}`,
    );
  }
  const cmd = command as CniCommand;
  const attachment = cmd === 'ADD' || cmd === 'DEL' || cmd === 'CHECK';
  const issues: string[] = [];
  const containerId = env.CNI_CONTAINERID ?? '';
  const ifname = env.CNI_IFNAME ?? '';
  const netns = env.CNI_NETNS ?? '';
  if (attachment) {
    if (!CONTAINER_ID.test(containerId) || containerId.length > 256) {
      issues.push('CNI_CONTAINERID: must start with a letter or digit, then letters, digits, _ . - (1-256)');
    }
    const ifnameProblem = checkIfname(ifname);
    if (ifnameProblem) issues.push(`CNI_IFNAME: ${ifnameProblem}`);
    if (cmd !== 'DEL' || netns !== '') {
      if (!netns.startsWith('/') || netns.includes('\0') || netns.includes('/../')) {
        issues.push('CNI_NETNS: must be the absolute path of a network namespace');
      }
    }
  }
  const args = parseArgs(env.CNI_ARGS ?? '', issues);
  if (issues.length > 0) {
    throw new CniError(CniCode.InvalidEnvironment, 'invalid environment variables', issues.join('; '));
  }
  return { command: cmd, containerId, netns, ifname, args };
}

/** Linux's rules for an interface name, as the spec repeats them; undefined when fine. */
export function checkIfname(name: string): string | undefined {
  if (name === '') return 'is required';
  if (name === '.' || name === '..') return 'must not be . or ..';
  if (Buffer.byteLength(name) > 15) return 'must be at most 15 bytes';
  if (/[/:\s]/.test(name)) return 'must not contain /, : or white space';
  return undefined;
}

/** `K=V;K=V`, alphanumeric keys (and _ -); a pair without `=` is an error. */
function parseArgs(text: string, issues: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  if (text === '') return args;
  for (const pair of text.split(';')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq);
    if (!/^[A-Za-z0-9_-]+$/.test(key)) {
      issues.push(`CNI_ARGS: "${pair}" is not KEY=VALUE`);
      continue;
    }
    args[key] = pair.slice(eq + 1);
  }
  return args;
}

/** Tenant, network and group from CNI_ARGS, which win over the configuration's. */
export function fabricOverrides(
  args: Record<string, string>,
): Partial<Record<'tenant' | 'network' | 'group', string>> {
  const out: Partial<Record<'tenant' | 'network' | 'group', string>> = {};
  if (args.SWITCHYARD_TENANT !== undefined) out.tenant = args.SWITCHYARD_TENANT;
  if (args.SWITCHYARD_NETWORK !== undefined) out.network = args.SWITCHYARD_NETWORK;
  if (args.SWITCHYARD_GROUP !== undefined) out.group = args.SWITCHYARD_GROUP;
  return out;
}
