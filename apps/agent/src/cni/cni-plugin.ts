import { hostname } from 'node:os';
import { CommandError, InvalidHostValueError } from '../host-network/index.js';
import { addCommand } from './add.command.js';
import { checkCommand } from './check.command.js';
import { parseConfig, SUPPORTED_VERSIONS } from './cni-config.js';
import { cniContext } from './cni-context.js';
import { CniCode, CniError } from './cni-error.js';
import { fabricOverrides, parseInvocation } from './cni-invocation.js';
import { delCommand } from './del.command.js';
import { gcCommand } from './gc.command.js';
import { statusCommand } from './status.command.js';

/** What the executable prints and its exit status. */
export interface PluginOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * One invocation as a runtime makes it: the environment and the configuration read from standard
 * input; the result (ADD), the version answer (VERSION), nothing (DEL, CHECK, STATUS, GC), or an
 * error object, on standard output. Errors exit with 1, and say themselves on standard error too.
 */
export async function runPlugin(env: NodeJS.ProcessEnv, stdin: string): Promise<PluginOutcome> {
  const version = declaredVersion(stdin);
  try {
    const inv = parseInvocation(env);
    if (inv.command === 'VERSION') {
      return ok({ cniVersion: version, supportedVersions: [...SUPPORTED_VERSIONS] });
    }
    const cfg = parseConfig(stdin, fabricOverrides(inv.args), { hostId: hostname() });
    const ctx = cniContext(inv, cfg);
    switch (inv.command) {
      case 'ADD':
        return ok(await addCommand(ctx));
      case 'DEL':
        await delCommand(ctx);
        return ok();
      case 'CHECK':
        await checkCommand(ctx);
        return ok();
      case 'STATUS':
        await statusCommand(ctx);
        return ok();
      case 'GC':
        await gcCommand(ctx);
        return ok();
    }
  } catch (err) {
    const cni = asCniError(err);
    return {
      stdout: JSON.stringify(cni.toJSON(version)) + '\n',
      stderr: `switchyard-cni: ${env.CNI_COMMAND ?? '?'}: ${cni.message}\n`,
      exitCode: 1,
    };
  }
}

/** Any failure as a CNI error: a kernel command's is 120, a value refused before one ran is 7. */
function asCniError(err: unknown): CniError {
  if (err instanceof CniError) return err;
  if (err instanceof CommandError)
    return new CniError(CniCode.KernelCallFailed, `${err.command} failed`, err.message);
  if (err instanceof InvalidHostValueError)
    return new CniError(CniCode.InvalidConfig, 'invalid value', err.message);
  return new CniError(CniCode.Unexpected, 'unexpected failure', (err as Error)?.message ?? String(err));
}

function ok(body?: object): PluginOutcome {
  return { stdout: body ? JSON.stringify(body) + '\n' : '', stderr: '', exitCode: 0 };
}

// the version errors and VERSION answer in: the configuration's when it names one we speak
function declaredVersion(stdin: string): string {
  try {
    const v = (JSON.parse(stdin) as { cniVersion?: unknown }).cniVersion;
    if (typeof v === 'string' && /^\d+\.\d+\.\d+$/.test(v)) return v;
  } catch {
    // not JSON: parseConfig says so
  }
  return '1.1.0';
}
