import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gate } from '../../support/skips.js';
import { AgentProcess, agentAvailability, kernelObjects, sweep } from '../../support/agent-host.js';

// An instance whose tier asks for root: root inside its overlay, but none of what would reach the
// host (mount, chroot, hostname, its own firewall); and an agent restarted over its state dir.
const { describe: withAgent } = gate(agentAvailability());

const PREFIX = `t${process.pid % 100000}r`;
const HOST_FILE = `/etc/sy-agent-root-${process.pid}`;
let agent = new AgentProcess(PREFIX, 17900 + (process.pid % 90));

const script = [
  `echo inside > ${HOST_FILE} && echo wrote-etc`,
  'id -u | sed s/^/uid=/',
  'hostname other || echo hostname-refused',
  'mount -t tmpfs none /mnt || echo mount-refused',
  `python3 -c "import os; os.chroot('/tmp')" 2>/dev/null || echo chroot-refused`,
  'nft add table inet mine || echo nft-refused',
  'ls -A /root | wc -l | sed s/^/root-entries=/',
  'wc -c < /etc/shadow | sed s/^/shadow-bytes=/',
  'echo root-done',
];

withAgent('a root instance and a restarted agent', () => {
  afterAll(() => {
    agent.stop();
    sweep(PREFIX, agent.stateDir);
    agent.removeState();
  });

  it('gives root its overlay but not the host', async () => {
    await agent.start();
    const net = await agent.api('PUT', '/v1/networks/r', {
      cidr: '10.96.0.0/24',
      gateway: '10.96.0.1',
      encap: 'vlan',
      tag: 96,
    });
    expect(net.status).toBe(200);
    const created = await agent.api('POST', '/v1/instances', {
      idempotencyKey: 'root-1',
      name: 'rooted',
      instanceType: 'lh.half',
      image: 'host-root',
      network: 'r',
      privateIp: '10.96.0.10',
      userData: `#cloud-config\nruncmd:\n${script.map((c) => `  - ${JSON.stringify(c)}`).join('\n')}\n`,
      tags: { 'switchyard:deployment': 'd9' },
      runAsRoot: true,
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    await agent.waitFor(id, 'running');
    const console = await agent.waitForConsole(id, '\nroot-done\n');
    const said = (marker: string) => new RegExp(`^${marker}$`, 'm').test(console);
    expect(said('uid=0')).toBe(true);
    expect(said('wrote-etc')).toBe(true);
    for (const refused of ['hostname-refused', 'mount-refused', 'chroot-refused', 'nft-refused']) {
      expect([refused, said(refused)]).toEqual([refused, true]);
    }
    // the host's /root and /etc/shadow are covered by an empty directory and file inside
    expect(said('root-entries=0')).toBe(true);
    expect(said('shadow-bytes=0')).toBe(true);
    expect(existsSync(HOST_FILE)).toBe(false);
    expect(hostname()).not.toBe('other');
    const upper = join(agent.stateDir, 'runtime', id, 'upper');
    expect(readFileSync(join(upper, HOST_FILE), 'utf8')).toBe('inside\n');

    // a restarted agent knows the instance from its state dir, and its processes ran on
    agent.stop();
    await new Promise((r) => setTimeout(r, 500));
    agent = new AgentProcess(PREFIX, 17990 + (process.pid % 9), { stateDir: agent.stateDir });
    await agent.start();
    const listed = await agent.api('GET', '/v1/instances?managed=switchyard:deployment');
    expect(listed.json).toEqual([expect.objectContaining({ id, state: 'running' })]);

    expect((await agent.api('DELETE', `/v1/instances/${id}`)).status).toBe(204);
    expect(existsSync(upper)).toBe(false);
    expect((await agent.api('DELETE', '/v1/networks/r')).status).toBe(204);
    expect(kernelObjects(PREFIX)).toEqual([]);
  });
});
