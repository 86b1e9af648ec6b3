import { sandboxArgs } from './boot-plan.js';
import { instancePath, parseUserData } from './user-data.js';

describe('parseUserData', () => {
  it('reads write_files, runcmd and packages, and picks out the ruleset file', () => {
    const { config, problems } = parseUserData(
      [
        '#cloud-config',
        'packages: [python3]',
        'bootcmd: [[nft, -f, /etc/switchyard/nftables.nft]]',
        'write_files:',
        '  - path: /etc/switchyard/nftables.nft',
        '    content: "table inet t {}"',
        '  - path: /opt/a.bin',
        '    encoding: b64',
        '    content: aGk=',
        '    permissions: "0600"',
        '    owner: nobody:nogroup',
        'runcmd:',
        '  - [echo, 1]',
        '  - echo two',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(config!.ruleset).toBe('table inet t {}');
    expect(config!.writeFiles[1]).toEqual({
      path: '/opt/a.bin',
      content: Buffer.from('hi'),
      permissions: '0600',
      owner: 'nobody:nogroup',
      append: false,
    });
    expect(config!.runcmd).toEqual([{ argv: ['echo', '1'] }, { shell: 'echo two' }]);
    expect(config!.packages).toEqual(['python3']);
    expect(config!.ignored).toEqual(['bootcmd']);
  });

  it('names each bad entry by its path', () => {
    const { config, problems } = parseUserData(
      [
        '#cloud-config',
        'packages: ["rm -rf /"]',
        'write_files:',
        '  - path: /etc/../../x',
        '    owner: "root;id"',
        'runcmd:',
        '  - []',
      ].join('\n'),
    );
    expect(config).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual([
      'userData.write_files[0].path',
      'userData.write_files[0].owner',
      'userData.runcmd[0]',
      'userData.packages[0]',
    ]);
  });

  it('refuses what is not cloud-config or a script, and YAML alias bombs', () => {
    expect(parseUserData('just text').problems).toEqual([{ path: 'userData', message: expect.any(String) }]);
    const bomb = ['#cloud-config', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++)
      bomb.push(
        `${'b'.repeat(i + 1)}: &b${i} [${Array(9)
          .fill(i === 0 ? '*a' : `*b${i - 1}`)
          .join(', ')}]`,
      );
    expect(parseUserData(bomb.join('\n')).problems).toEqual([
      { path: 'userData', message: expect.stringContaining('YAML') },
    ]);
  });

  it('runs a #! script as the only runcmd', () => {
    const { config } = parseUserData('#!/bin/sh\necho hi\n');
    expect(config!.runcmd).toEqual([{ argv: ['/var/lib/switchyard/user-data-script'] }]);
  });

  it.each(['relative/x', '/a/../b', '/a//b', '/a/./b', '/a b', '/'])('refuses the instance path %j', (p) => {
    expect(instancePath(p)).toBeUndefined();
  });
});

describe('sandboxArgs', () => {
  it('drops to the instance user with no capabilities, and to root without chroot or admin', () => {
    const user = sandboxArgs('/m', { uid: 65534, gid: 65534 }, ['id', '-u'], 40);
    expect(user.slice(0, 2)).toEqual(['--chroot=/m', '--no-new-privs']);
    expect(user).toContain('--uid=65534');
    // capsh's `--`, then env's own `--` before the command it looks up on PATH
    expect(user.slice(-5)).toEqual(['--shell=/usr/bin/env', '--', '--', 'id', '-u']);
    const root = sandboxArgs('/m', 'root', ['/bin/sh', '-c', 'x'], 40);
    const dropped = root.find((a) => a.startsWith('--drop='))!;
    expect(dropped).toContain('cap_sys_chroot');
    expect(dropped).toContain('cap_sys_admin');
    expect(dropped).toContain('cap_net_admin');
    expect(dropped).not.toContain('cap_net_bind_service');
    expect(root).not.toContain('--uid=0');
  });
});
