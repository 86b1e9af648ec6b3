import type { BootCommand } from './user-data.js';

/** What the instance's init does, written by the agent as `plan.json` in the instance's runtime dir. */
export interface BootPlan {
  /** The overlay's merged directory: the instance's `/`. */
  merged: string;
  hostname: string;
  /** `cgroup.procs` files the init joins (writing 0) before it starts anything. */
  cgroupProcs: string[];
  /** Host paths covered inside the instance by an empty tmpfs (the agent's state dir, /root). */
  hidden: string[];
  runcmd: BootCommand[];
  /** Root (with a reduced capability set) or this uid/gid. */
  user: 'root' | { uid: number; gid: number };
  statusFile: string;
  consoleFile: string;
  /** user-data keys not acted on, said in the console. */
  ignored: string[];
}

/** The status file's phases: the agent waits for `booted` (or `failed: …`). */
export type BootStatus = 'booted' | 'runcmd-done' | `failed: ${string}`;

// root inside an instance keeps only what a service needs: no chroot (its way out of the
// instance's root), mount, module, raw I/O, netns admin (its firewall is the agent's), ptrace, time
export const ROOT_CAPABILITIES = [
  'chown',
  'dac_override',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'net_bind_service',
];

// capability names by number (linux/capability.h), 0 to 40
const CAPABILITIES = [
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'linux_immutable',
  'net_bind_service',
  'net_broadcast',
  'net_admin',
  'net_raw',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_chroot',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'mknod',
  'lease',
  'audit_write',
  'audit_control',
  'setfcap',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
];

/**
 * The host's `capsh` arguments that enter the instance's root and drop privileges there, then exec
 * `argv` inside: chroot first (capsh is the host's binary, loaded before it), then no new
 * privileges, then either the instance's uid/gid (no capabilities left) or root with only
 * ROOT_CAPABILITIES. Numeric ids: nothing of the instance's files (NSS) is read while privileged.
 */
export function sandboxArgs(merged: string, user: BootPlan['user'], argv: string[], lastCap = 40): string[] {
  // capsh execs without a PATH search: a bare name goes through the instance's own env(1)
  const [program = '/bin/true', ...args] = argv[0]?.includes('/') ? argv : ['/usr/bin/env', '--', ...argv];
  const known = CAPABILITIES.slice(0, lastCap + 1);
  const drop = user === 'root' ? known.filter((c) => !ROOT_CAPABILITIES.includes(c)) : known;
  const become = user === 'root' ? [] : [`--gid=${user.gid}`, `--groups=${user.gid}`, `--uid=${user.uid}`];
  return [
    `--chroot=${merged}`,
    '--no-new-privs',
    `--drop=${drop.map((c) => `cap_${c}`).join(',')}`,
    ...become,
    `--shell=${program}`,
    '--',
    ...args,
  ];
}
