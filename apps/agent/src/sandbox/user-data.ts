import { parse } from 'yaml';
import type { FieldProblem } from '../http/agent-error.js';

/** One `write_files` entry, checked. */
export interface FileToWrite {
  path: string;
  content: Buffer;
  /** Octal, e.g. `0644`. */
  permissions: string;
  /** `user` or `user:group`. */
  owner: string;
  append: boolean;
}

/** A `runcmd` entry: an argv list, or a string for the instance's own `/bin/sh -c`. */
export type BootCommand = { argv: string[] } | { shell: string };

/** What the agent runs of a tier's cloud-init user-data. */
export interface BootConfig {
  writeFiles: FileToWrite[];
  runcmd: BootCommand[];
  packages: string[];
  /** The content of `/etc/switchyard/nftables.nft` when `write_files` writes it (loaded by the agent). */
  ruleset?: string;
  /** Keys the agent does not act on (said in the console, as cloud-init's unknown modules would be). */
  ignored: string[];
}

export const RULESET_PATH = '/etc/switchyard/nftables.nft';
export const MAX_USER_DATA = 256 * 1024;
const SCRIPT_PATH = '/var/lib/switchyard/user-data-script';
const PATH_SEGMENT = /^[A-Za-z0-9._@+-]{1,255}$/;
const USER = '[a-z_][a-z0-9_-]{0,31}';
const OWNER = new RegExp(`^${USER}(:${USER})?$`);
const PACKAGE = /^[a-z0-9][a-z0-9+.-]{0,127}$/;
const KNOWN = ['write_files', 'runcmd', 'packages'];

/** A checked absolute path inside the instance: no `..`, no empty or odd segments. */
export function instancePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 1024) return undefined;
  const segments = value.split('/').slice(1);
  if (segments.length === 0 || segments.some((s) => !PATH_SEGMENT.test(s) || s === '.' || s === '..'))
    return undefined;
  return value;
}

/**
 * Reads `#cloud-config` YAML (write_files, runcmd, packages) or a `#!` script (run as the only
 * runcmd). Problems are named by their path under `at` (e.g. `userData.write_files[0].path`).
 */
export function parseUserData(
  text: string,
  at = 'userData',
): { config?: BootConfig; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });
  if (Buffer.byteLength(text) > MAX_USER_DATA)
    return { problems: [{ path: at, message: `is over ${MAX_USER_DATA} bytes` }] };
  if (text.includes('\0')) return { problems: [{ path: at, message: 'contains a NUL character' }] };
  if (text.startsWith('#!')) {
    const file = {
      path: SCRIPT_PATH,
      content: Buffer.from(text),
      permissions: '0755',
      owner: 'root',
      append: false,
    };
    return {
      config: { writeFiles: [file], runcmd: [{ argv: [SCRIPT_PATH] }], packages: [], ignored: [] },
      problems,
    };
  }
  if (!/^#cloud-config[ \t]*\r?\n/.test(text) && text.trim() !== '#cloud-config') {
    return { problems: [{ path: at, message: 'must start with #cloud-config or #!' }] };
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 50, uniqueKeys: true }) ?? {};
  } catch (e) {
    return { problems: [{ path: at, message: `is not valid YAML: ${(e as Error).message.split('\n')[0]}` }] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { problems: [{ path: at, message: 'must be a YAML mapping' }] };
  }
  const d = doc as Record<string, unknown>;
  const config: BootConfig = {
    writeFiles: readWriteFiles(d.write_files, `${at}.write_files`, bad),
    runcmd: readRuncmd(d.runcmd, `${at}.runcmd`, bad),
    packages: readPackages(d.packages, `${at}.packages`, bad),
    ignored: Object.keys(d).filter((k) => !KNOWN.includes(k)),
  };
  const ruleset = config.writeFiles.filter((f) => f.path === RULESET_PATH).at(-1);
  if (ruleset) config.ruleset = ruleset.content.toString('utf8');
  return problems.length > 0 ? { problems } : { config, problems };
}

type Bad = (path: string, message: string) => void;

function list(value: unknown, at: string, bad: Bad, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    bad(at, 'must be a list');
    return [];
  }
  if (value.length > max) {
    bad(at, `has more than ${max} entries`);
    return [];
  }
  return value;
}

function readWriteFiles(value: unknown, at: string, bad: Bad): FileToWrite[] {
  const files: FileToWrite[] = [];
  list(value, at, bad, 100).forEach((entry, i) => {
    const p = `${at}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return bad(p, 'must be a mapping');
    const e = entry as Record<string, unknown>;
    const path = instancePath(e.path);
    if (!path) bad(`${p}.path`, 'must be an absolute path of [A-Za-z0-9._@+-] segments without . or ..');
    const encoding = e.encoding ?? 'text/plain';
    const content = e.content ?? '';
    if (typeof content !== 'string') bad(`${p}.content`, 'must be a string');
    if (!['text/plain', 'b64', 'base64'].includes(String(encoding)))
      bad(`${p}.encoding`, 'must be text/plain, b64 or base64');
    const permissions = e.permissions ?? '0644';
    if (typeof permissions !== 'string' || !/^0?[0-7]{3,4}$/.test(permissions))
      bad(`${p}.permissions`, 'must be octal, e.g. 0644');
    const owner = e.owner ?? 'root:root';
    if (typeof owner !== 'string' || !OWNER.test(owner)) bad(`${p}.owner`, 'must be user or user:group');
    if (e.append !== undefined && typeof e.append !== 'boolean') bad(`${p}.append`, 'must be true or false');
    if (!path || typeof content !== 'string' || typeof permissions !== 'string' || typeof owner !== 'string')
      return;
    const bytes = encoding === 'text/plain' ? Buffer.from(content) : Buffer.from(content, 'base64');
    files.push({ path, content: bytes, permissions, owner, append: e.append === true });
  });
  return files;
}

function readRuncmd(value: unknown, at: string, bad: Bad): BootCommand[] {
  const commands: BootCommand[] = [];
  list(value, at, bad, 200).forEach((entry, i) => {
    if (typeof entry === 'string' && entry.length > 0) return void commands.push({ shell: entry });
    const argv = Array.isArray(entry) ? entry : [];
    if (argv.length === 0 || argv.some((a) => typeof a !== 'string' && typeof a !== 'number')) {
      return bad(`${at}[${i}]`, 'must be a non-empty string or a non-empty list of strings');
    }
    commands.push({ argv: argv.map(String) });
  });
  return commands;
}

function readPackages(value: unknown, at: string, bad: Bad): string[] {
  const packages: string[] = [];
  list(value, at, bad, 200).forEach((entry, i) => {
    if (typeof entry !== 'string' || !PACKAGE.test(entry))
      return bad(`${at}[${i}]`, 'must be a Debian package name');
    packages.push(entry);
  });
  return packages;
}
