import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgroupCommands, detectCgroupLayout } from './cgroups.js';
import { CommandError, type CommandRunner } from './command-runner.js';
import { HostNetwork } from './host-network.js';
import { InvalidHostValueError } from './names.js';
import { withUndo, SetupFailedError } from './undo.js';

/** Records every command; fails the ones `fail` matches. */
class RecordingRunner implements CommandRunner {
  readonly calls: { command: string; args: string[]; input?: string }[] = [];
  constructor(private readonly fail: (args: string[]) => string | undefined = () => undefined) {}
  async run(command: string, args: readonly string[], options: { input?: string } = {}) {
    this.calls.push({ command, args: [...args], input: options.input });
    const stderr = this.fail([...args]);
    if (stderr !== undefined) throw new CommandError(command, args, 1, stderr);
    return { stdout: '', stderr: '' };
  }
}

describe('host-network wrappers', () => {
  it('build argv arrays, in the named namespace when asked', async () => {
    const runner = new RecordingRunner();
    const host = new HostNetwork(runner);
    await host.netns.add('sy-a1');
    await host.netns.allowUnprivilegedPorts('sy-a1');
    await host.links.addVethPair('syva1', 'eth0', { peerNetns: 'sy-a1' });
    await host.links.addVxlan({ name: 'syxn1', vni: 5001, local: '10.0.0.1' });
    await host.links.appendFdb('syxn1', '00:00:00:00:00:00', '10.0.0.2');
    await host.addresses.addAddress('eth0', '10.1.0.5/24', { netns: 'sy-a1' });
    await host.addresses.addDefaultRoute('10.1.0.1', 'eth0', { netns: 'sy-a1' });
    await host.nft.load('table inet t { }', { netns: 'sy-a1' });
    expect(runner.calls).toEqual(
      [
        { command: 'ip', args: ['netns', 'add', 'sy-a1'] },
        { command: 'ip', args: ['-n', 'sy-a1', 'link', 'set', 'dev', 'lo', 'up'] },
        {
          command: 'ip',
          args: ['netns', 'exec', 'sy-a1', 'sysctl', '-q', '-w', 'net.ipv4.ip_unprivileged_port_start=0'],
        },
        {
          command: 'ip',
          args: ['link', 'add', 'name', 'syva1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'sy-a1'],
        },
        {
          command: 'ip',
          args: [
            'link',
            'add',
            'name',
            'syxn1',
            'type',
            'vxlan',
            'id',
            '5001',
            'local',
            '10.0.0.1',
            'dstport',
            '4789',
          ],
        },
        {
          command: 'bridge',
          args: ['fdb', 'append', '00:00:00:00:00:00', 'dev', 'syxn1', 'dst', '10.0.0.2'],
        },
        { command: 'ip', args: ['-n', 'sy-a1', 'address', 'add', '10.1.0.5/24', 'dev', 'eth0'] },
        { command: 'ip', args: ['-n', 'sy-a1', 'route', 'add', 'default', 'via', '10.1.0.1', 'dev', 'eth0'] },
        { command: 'ip', args: ['netns', 'exec', 'sy-a1', 'nft', '-f', '-'], input: 'table inet t { }' },
      ].map((c) => ({ input: undefined, ...c })),
    );
  });

  it.each([
    ['a link name that reads as an option', (h: HostNetwork) => h.links.addBridge('-help')],
    ['a link name longer than 15', (h: HostNetwork) => h.links.addBridge('abcdefghijklmnop')],
    ['a link name with a space', (h: HostNetwork) => h.links.setUp('br 0')],
    ['a namespace that is a path', (h: HostNetwork) => h.netns.add('../etc')],
    ['an address with a leading zero', (h: HostNetwork) => h.addresses.addAddress('eth0', '10.01.0.5/24')],
    ['an address without a prefix length', (h: HostNetwork) => h.addresses.addAddress('eth0', '10.1.0.5')],
    [
      'a VNI out of range',
      (h: HostNetwork) => h.links.addVxlan({ name: 'x', vni: 2 ** 24, local: '10.0.0.1' }),
    ],
    ['a table name with a space', (h: HostNetwork) => h.nft.deleteTable('inet', 'a b')],
    ['a ruleset with an include', (h: HostNetwork) => h.nft.load('include "/etc/shadow"\n')],
  ])('refuse %s before running anything', async (_what, act) => {
    const runner = new RecordingRunner();
    await expect(act(new HostNetwork(runner))).rejects.toBeInstanceOf(InvalidHostValueError);
    expect(runner.calls).toEqual([]);
  });

  it('treat deleting what is gone as done, and other failures as failures', async () => {
    const gone = new HostNetwork(new RecordingRunner(() => 'Cannot find device "syb1"'));
    await expect(gone.links.delete('syb1')).resolves.toBeUndefined();
    const busy = new HostNetwork(new RecordingRunner(() => 'Operation not permitted'));
    await expect(busy.links.delete('syb1')).rejects.toBeInstanceOf(CommandError);
  });

  it('undo what a failed setup made, latest first', async () => {
    const runner = new RecordingRunner((args) =>
      args.includes('address') ? 'Error: bad address' : undefined,
    );
    const host = new HostNetwork(runner);
    const failed = withUndo(async (undo) => {
      await host.netns.add('sy-b1');
      undo.add('netns', () => host.netns.delete('sy-b1'));
      await host.links.addBridge('syb1');
      undo.add('bridge', () => host.links.delete('syb1'));
      await host.addresses.addAddress('syb1', '10.2.0.1/24');
    });
    await expect(failed).rejects.toBeInstanceOf(SetupFailedError);
    expect(runner.calls.slice(-2).map((c) => c.args)).toEqual([
      ['link', 'delete', 'dev', 'syb1'],
      ['netns', 'delete', 'sy-b1'],
    ]);
  });
});

describe('cgroups', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sy-cgroup-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('set limits through cgroup v1 when v2 has no cpu/memory controllers (a hybrid host)', async () => {
    await mkdir(join(root, 'unified'), { recursive: true });
    await writeFile(join(root, 'unified', 'cgroup.controllers'), 'hugetlb\n');
    for (const [dir, file] of [
      ['cpu', 'cpu.cfs_quota_us'],
      ['memory', 'memory.limit_in_bytes'],
    ] as const) {
      await mkdir(join(root, dir));
      await writeFile(join(root, dir, file), '-1');
    }
    const layout = await detectCgroupLayout(root);
    expect(layout.limits.kind).toBe('v1');
    const groups = new CgroupCommands(layout);
    await groups.create('syia1', { cpu: 0.25, memoryMiB: 256 });
    expect(await groups.limits('syia1')).toEqual({
      cpuMax: '25000 100000',
      cpuShare: '256',
      memoryMax: String(256 * 1024 * 1024),
    });
    expect(await groups.list('syi')).toEqual(['syia1']);
  });

  it('set cpu.max and memory.max on a cgroup v2 host', async () => {
    await writeFile(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    const layout = await detectCgroupLayout(root);
    expect(layout).toEqual({ unified: root, limits: { kind: 'v2' }, pids: { kind: 'v2' } });
    expect(await readFile(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu +memory');
    const groups = new CgroupCommands(layout);
    await groups.create('syia2', { cpu: 1.5, memoryMiB: 1024, pids: 100 });
    expect(await groups.limits('syia2')).toEqual({
      cpuMax: '150000 100000',
      cpuShare: '150',
      memoryMax: String(1024 ** 3),
      pidsMax: '100',
    });
  });

  it('say why limits are not enforced when neither hierarchy offers them', async () => {
    await writeFile(join(root, 'cgroup.controllers'), 'pids\n');
    const layout = await detectCgroupLayout(root);
    expect(layout.limits).toEqual({
      kind: 'none',
      reason: expect.stringContaining('no cpu/memory controllers'),
    });
  });

  it('refuse a group name that is a path', async () => {
    await writeFile(join(root, 'cgroup.controllers'), 'pids\n');
    const groups = new CgroupCommands(await detectCgroupLayout(root));
    await expect(groups.create('../x', { cpu: 1, memoryMiB: 1 })).rejects.toBeInstanceOf(
      InvalidHostValueError,
    );
  });
});
