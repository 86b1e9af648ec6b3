import { ApiClient } from '../core/api-client.js';
import type { CommandGroup } from '../core/command.js';
import { str, UsageError } from '../core/flags.js';
import { printJson } from '../core/output.js';

/** Strips the one line ending that `echo` or a file adds; the rest is the password. */
export function passwordFromStdin(text: string): string {
  return text.replace(/\r?\n$/, '');
}

export const loginCommand: CommandGroup = {
  name: 'login',
  summary: 'sign in with a user name and password: a session token to export as SWITCHYARD_TOKEN',
  commands: [],
  command: {
    name: 'login',
    usage: 'syd login --user USER [--tenant TENANT] --password-stdin',
    summary:
      'Signs in and prints a session token (it expires; see SESSION_TTL_HOURS). The password is read ' +
      'from standard input, never from a flag, where ps and the shell history would keep it.',
    flags: [
      { name: 'user', short: 'u', kind: 'string', help: 'user name' },
      { name: 'tenant', kind: 'string', help: 'tenant name (default: default)' },
      { name: 'password-stdin', kind: 'bool', help: 'read the password from standard input' },
    ],
    async run({ api, output, flags, stdin }) {
      const user = str(flags, 'user');
      if (!user) throw new UsageError('--user is required');
      if (flags['password-stdin'] !== true) {
        throw new UsageError('give the password on standard input with --password-stdin');
      }
      const password = passwordFromStdin(await stdin());
      if (!password) throw new UsageError('no password on standard input');
      // whatever token the environment holds has no part in a sign-in
      const anonymous = new ApiClient(api.baseUrl, undefined);
      const { body } = await anonymous.post('/api/v1/sessions', {
        body: { user, tenant: str(flags, 'tenant'), password, name: 'cli session' },
      });
      if (output.json) return printJson(output, body);
      // the token alone on stdout, for $(…); the rest on stderr
      output.out(body.token);
      output.err(
        `Signed in as ${body.user.name} (${body.role}) in tenant ${body.tenant.name}; ` +
          `the token expires at ${body.expiresAt}.`,
      );
      output.err(
        `hint: syd reads its token from SWITCHYARD_TOKEN (or --token): ` +
          `export SWITCHYARD_TOKEN="$(syd login --user ${user} --password-stdin < FILE)"`,
      );
    },
  },
};
