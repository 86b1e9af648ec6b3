// The first process of an instance (PID 1 of its PID namespace), started by the agent as
//   nsenter --net=/run/netns/NS unshare --mount --pid --uts --ipc --fork --propagation private -- node instance-init.js PLAN
// It joins the instance's cgroups, mounts /proc, /tmp and /dev over the overlay, hides the agent's
// files, sets the hostname, then runs runcmd in order inside the overlay as the instance's user (boot-plan.ts: sandboxArgs), its
// output to the console log, and stays (as a VM would) until the agent stops the instance.
import { spawn, execFileSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  readFileSync,
  statSync,
  writeFileSync,
  mkdirSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { sandboxArgs, type BootPlan, type BootStatus } from './boot-plan.js';

const CONSOLE_MAX = 1024 * 1024;
const CONSOLE_KEEP = 256 * 1024;

const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as BootPlan;

function status(s: BootStatus): void {
  writeFileSync(plan.statusFile, s);
}

// the console is the instance's only channel to the host: capped, so it cannot fill the host's disk
function log(text: string | Buffer): void {
  appendFileSync(plan.consoleFile, text);
  if (statSync(plan.consoleFile).size > CONSOLE_MAX) {
    const all = readFileSync(plan.consoleFile);
    writeFileSync(plan.consoleFile, all.subarray(all.length - CONSOLE_KEEP));
  }
}

function say(line: string): void {
  log(`[switchyard] ${line}\n`);
}

function mount(...args: string[]): void {
  execFileSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function inside(path: string): string {
  return join(plan.merged, path);
}

function prepareRoot(): void {
  mount('-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc', inside('/proc'));
  // what Docker also keeps read-only or masks: sysctls and triggers that reach the whole host
  for (const p of ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus', '/proc/fs']) {
    if (!existsSync(inside(p))) continue;
    mount('--bind', inside(p), inside(p));
    mount('-o', 'remount,bind,ro', inside(p));
  }
  for (const p of ['/proc/kcore', '/proc/keys', '/proc/timer_list']) {
    if (existsSync(inside(p))) mount('--bind', '/dev/null', inside(p));
  }
  mount('-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev,size=64m', 'tmpfs', inside('/tmp'));
  mount('-t', 'tmpfs', '-o', 'mode=755,nosuid,size=1m', 'tmpfs', inside('/dev'));
  for (const dev of ['null', 'zero', 'full', 'random', 'urandom', 'tty']) {
    writeFileSync(inside(`/dev/${dev}`), '');
    mount('--bind', `/dev/${dev}`, inside(`/dev/${dev}`));
  }
  mkdirSync(inside('/dev/shm'));
  mount('-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev,size=16m', 'tmpfs', inside('/dev/shm'));
  symlinkSync('/proc/self/fd', inside('/dev/fd'));
  ['stdin', 'stdout', 'stderr'].forEach((name, fd) =>
    symlinkSync(`/proc/self/fd/${fd}`, inside(`/dev/${name}`)),
  );
  for (const path of plan.hidden) {
    if (existsSync(inside(path))) mount('-t', 'tmpfs', '-o', 'mode=700,size=16m', 'tmpfs', inside(path));
  }
  // per UTS namespace: this sets the instance's hostname, not the host's
  writeFileSync('/proc/sys/kernel/hostname', plan.hostname);
}

function environment(): NodeJS.ProcessEnv {
  const root = plan.user === 'root';
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: root ? '/root' : '/tmp',
    USER: root ? 'root' : 'instance',
    HOSTNAME: plan.hostname,
    LANG: 'C.UTF-8',
  };
}

function runOne(argv: string[]): Promise<number | string> {
  return new Promise((done) => {
    const child = spawn('capsh', sandboxArgs(plan.merged, plan.user, argv, lastCap), {
      env: environment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', log);
    child.stderr.on('data', log);
    child.on('error', (e) => done(e.message));
    // `exit`, not `close`: a command that leaves a server in the background keeps the pipes open
    child.on('exit', (code, signal) => done(code ?? `signal ${signal}`));
  });
}

async function main(): Promise<void> {
  for (const file of plan.cgroupProcs) writeFileSync(file, '0');
  process.on('SIGTERM', () => undefined);
  process.on('SIGINT', () => undefined);
  try {
    prepareRoot();
  } catch (e) {
    const message = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    say(`boot failed: ${message}`);
    status(`failed: ${message}`);
    process.exit(1);
  }
  status('booted');
  say(`booted ${plan.hostname}`);
  if (plan.ignored.length > 0) say(`user-data keys not acted on here: ${plan.ignored.join(', ')}`);
  for (const [i, command] of plan.runcmd.entries()) {
    const argv = 'argv' in command ? command.argv : ['/bin/sh', '-c', command.shell];
    say(`runcmd[${i}]: ${JSON.stringify(argv)}`);
    say(`runcmd[${i}] ended: ${await runOne(argv)}`);
  }
  status('runcmd-done');
  // PID 1 stays, as a booted machine does, until the agent stops the instance
  setInterval(() => undefined, 1 << 30);
}

void main();
