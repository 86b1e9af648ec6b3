import { runCli } from '../cli.js';
import { loginCommand, passwordFromStdin } from './login.commands.js';

async function syd(argv: string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    [loginCommand],
    // nothing listens here: these cases must end before any request
    { SWITCHYARD_URL: 'http://127.0.0.1:9' },
    {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      ...(stdin === undefined ? {} : { stdin: async () => stdin }),
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('syd login', () => {
  it('takes the password only from standard input, never from a flag', async () => {
    const flag = await syd(['login', '--user', 'alice', '--password', 'hunter2-hunter2']);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/unknown flag --password/);
    const none = await syd(['login', '--user', 'alice'], 'a password on stdin');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--password-stdin/);
    const empty = await syd(['login', '--user', 'alice', '--password-stdin'], '\n');
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/no password on standard input/);
    const noUser = await syd(['login', '--password-stdin'], 'pw');
    expect(noUser.code).toBe(2);
    expect(noUser.err).toMatch(/--user is required/);
  });

  it('shows its usage with --help', async () => {
    const help = await syd(['login', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: syd login --user USER \[--tenant TENANT\] --password-stdin/);
  });

  it('strips the one line ending a file or echo adds, and nothing else', () => {
    expect(passwordFromStdin('s3cret pass \n')).toBe('s3cret pass ');
    expect(passwordFromStdin('s3cret\r\n')).toBe('s3cret');
    expect(passwordFromStdin('s3cret\n\n')).toBe('s3cret\n');
  });
});
