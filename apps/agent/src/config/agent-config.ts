import { hostname } from 'node:os';

/** The agent's settings, read from the environment once at boot (the only reader of process.env). */
export interface AgentConfig {
  /** Secret: the bearer token every route but health requires. */
  token: string;
  listenHost: string;
  listenPort: number;
  hostId: string;
  stateDir: string;
  /** Undefined: the source address of the default route, found at boot. */
  underlayAddress?: string;
  /** Every kernel object the agent makes starts with it (at most 8 characters: link names are 15). */
  namePrefix: string;
  /** The uid and gid instance processes run as unless the instance asks for root. */
  instanceUid: number;
}

export class AgentConfigError extends Error {}

const IPV4 =
  /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;

/** Validates every setting; throws one error naming each bad one. */
export function loadAgentConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const problems: string[] = [];
  const token = env.AGENT_TOKEN ?? '';
  if (token.length < 32) problems.push('AGENT_TOKEN must be set, at least 32 characters');
  const listen = env.AGENT_LISTEN ?? '127.0.0.1:7471';
  const listenMatch = /^([0-9.]+|\[[0-9a-f:]+\]|localhost):([0-9]{1,5})$/i.exec(listen);
  const listenPort = Number(listenMatch?.[2]);
  if (!listenMatch || listenPort > 65_535)
    problems.push('AGENT_LISTEN must be host:port (e.g. 127.0.0.1:7471)');
  const hostId = env.AGENT_HOST_ID ?? hostname();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(hostId))
    problems.push('AGENT_HOST_ID must be 1-63 of [A-Za-z0-9_.-]');
  const stateDir = env.AGENT_STATE_DIR ?? '/var/lib/switchyard-agent';
  // it appears in overlay mount options, where `,` and `:` are separators
  if (!/^\/[A-Za-z0-9._/-]{1,200}$/.test(stateDir) || stateDir.split('/').includes('..')) {
    problems.push('AGENT_STATE_DIR must be an absolute path of [A-Za-z0-9._/-] without ..');
  }
  const underlayAddress = env.AGENT_UNDERLAY_ADDRESS || undefined;
  if (underlayAddress !== undefined && !IPV4.test(underlayAddress)) {
    problems.push('AGENT_UNDERLAY_ADDRESS must be an IPv4 address');
  }
  const namePrefix = env.AGENT_NAME_PREFIX ?? 'sy';
  if (!/^[a-z][a-z0-9]{0,7}$/.test(namePrefix)) {
    problems.push('AGENT_NAME_PREFIX must be a lower-case letter then up to 7 of [a-z0-9]');
  }
  const instanceUid = Number(env.AGENT_INSTANCE_UID ?? '65534');
  if (!Number.isInteger(instanceUid) || instanceUid < 1 || instanceUid > 4_294_967_294) {
    problems.push('AGENT_INSTANCE_UID must be a uid other than 0');
  }
  if (problems.length > 0) throw new AgentConfigError(`bad agent settings: ${problems.join('; ')}`);
  const listenHost = (listenMatch?.[1] ?? '').replace(/^\[|\]$/g, '');
  return { token, listenHost, listenPort, hostId, stateDir, underlayAddress, namePrefix, instanceUid };
}
