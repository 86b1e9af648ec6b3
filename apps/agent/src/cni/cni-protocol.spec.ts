import { bridgeNameFor, endpointIdFor, hostIfnameFor, rulesetTable } from './attachment-names.js';
import { parseConfig } from './cni-config.js';
import { CniError } from './cni-error.js';
import { fabricOverrides, parseInvocation } from './cni-invocation.js';
import { attachmentResult, containerSide } from './cni-result.js';

const good = {
  cniVersion: '1.1.0',
  name: 'sy-front',
  type: 'switchyard-cni',
  url: 'http://switchyard:3000/',
  token: 'syd_x',
  tenant: 'team-a',
  network: 'front',
  group: 'web',
};
const parse = (cfg: object, overrides = {}) => parseConfig(JSON.stringify(cfg), overrides, { hostId: 'h1' });
const failure = (fn: () => unknown): CniError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CniError) return err;
    throw err;
  }
  throw new Error('did not throw');
};

describe('network configuration', () => {
  it('fills the defaults and trims the URL', () => {
    const { type: _type, ...fields } = good;
    expect(parse(good)).toEqual({
      ...fields,
      url: 'http://switchyard:3000',
      stateDir: '/var/lib/switchyard-cni',
      namePrefix: 'sy',
      hostId: 'h1',
    });
  });

  it('names every bad field in one error (code 7)', () => {
    const err = failure(() =>
      parse({
        cniVersion: '1.1.0',
        name: '-x',
        url: 'ftp://a',
        tenant: 'a_b',
        network: 3,
        stateDir: 'rel',
        mtu: 20,
        vxlan: { localAddress: '1.2.3', remotes: ['x'] },
      }),
    );
    expect(err.code).toBe(7);
    for (const field of [
      'name:',
      'url:',
      'token:',
      'tenant:',
      'network:',
      'stateDir:',
      'mtu:',
      'vxlan.localAddress:',
      'vxlan.remotes:',
    ]) {
      expect(err.details).toContain(field);
    }
  });

  it("checks the host agent's settings", () => {
    const err = failure(() => parse({ ...good, agent: { url: 'nope', network: 'a b' } }));
    for (const field of ['agent.url:', 'agent.token:', 'agent.network:'])
      expect(err.details).toContain(field);
    expect(
      parse({ ...good, agent: { url: 'http://127.0.0.1:7471/', token: 't', network: 'front' } }).agent,
    ).toEqual({
      url: 'http://127.0.0.1:7471',
      token: 't',
      network: 'front',
    });
  });

  it('is code 6 when not a JSON object, 1 for a version it does not speak', () => {
    expect(failure(() => parseConfig('[1]', {}, { hostId: 'h' })).code).toBe(6);
    expect(failure(() => parseConfig('{', {}, { hostId: 'h' })).code).toBe(6);
    expect(failure(() => parse({ ...good, cniVersion: '0.4.0' })).code).toBe(1);
  });

  it('takes tenant, network and group from CNI_ARGS over the configuration', () => {
    const args = parseInvocation({
      ...env('ADD'),
      CNI_ARGS: 'IgnoreUnknown=1;SWITCHYARD_GROUP=db;SWITCHYARD_NETWORK=back',
    }).args;
    expect(parse(good, fabricOverrides(args))).toMatchObject({
      tenant: 'team-a',
      network: 'back',
      group: 'db',
    });
    expect(failure(() => parse(good, { group: 'no_underscores' })).details).toContain('group:');
  });

  it("reads GC's valid attachments", () => {
    const cfg = parse({ ...good, 'cni.dev/valid-attachments': [{ containerID: 'a', ifname: 'eth0' }] });
    expect(cfg.validAttachments).toEqual([{ containerID: 'a', ifname: 'eth0' }]);
    expect(
      failure(() => parse({ ...good, 'cni.dev/valid-attachments': [{ containerID: 1 }] })).details,
    ).toContain('cni.dev/valid-attachments[0]');
  });
});

function env(command: string): NodeJS.ProcessEnv {
  return { CNI_COMMAND: command, CNI_CONTAINERID: 'abc123', CNI_NETNS: '/run/netns/x', CNI_IFNAME: 'eth0' };
}

describe('environment', () => {
  it('needs the attachment variables for ADD, CHECK, DEL (DEL without a namespace)', () => {
    expect(parseInvocation(env('ADD'))).toEqual({
      command: 'ADD',
      containerId: 'abc123',
      netns: '/run/netns/x',
      ifname: 'eth0',
      args: {},
    });
    expect(parseInvocation({ ...env('DEL'), CNI_NETNS: '' }).netns).toBe('');
    const err = failure(() =>
      parseInvocation({
        CNI_COMMAND: 'CHECK',
        CNI_CONTAINERID: '_x',
        CNI_IFNAME: 'a b',
        CNI_ARGS: 'novalue',
      }),
    );
    expect(err.code).toBe(4);
    for (const v of ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_NETNS', 'CNI_ARGS'])
      expect(err.details).toContain(v);
  });

  it('refuses interface names Linux refuses and unknown commands', () => {
    for (const ifname of ['.', '..', 'a'.repeat(16), 'a:b', 'a/b']) {
      expect(failure(() => parseInvocation({ ...env('ADD'), CNI_IFNAME: ifname })).details).toContain(
        'CNI_IFNAME',
      );
    }
    expect(failure(() => parseInvocation({ CNI_COMMAND: 'add' })).details).toContain('CNI_COMMAND');
    expect(parseInvocation({ CNI_COMMAND: 'GC' }).command).toBe('GC');
  });
});

describe('result', () => {
  const wired = {
    hostIfname: 'syc0123456789',
    hostMac: 'aa:bb:cc:dd:ee:ff',
    ifname: 'eth0',
    mac: '02:02:0a:01:01:05',
    netns: '/run/netns/x',
    address: '10.1.1.5/24',
    gateway: '10.1.1.254',
  };

  it('lists both ends, the address on the container end, the default route', () => {
    const r = attachmentResult('1.1.0', wired, undefined);
    expect(r).toEqual({
      cniVersion: '1.1.0',
      interfaces: [
        { name: 'syc0123456789', mac: 'aa:bb:cc:dd:ee:ff' },
        { name: 'eth0', mac: '02:02:0a:01:01:05', sandbox: '/run/netns/x' },
      ],
      ips: [{ address: '10.1.1.5/24', gateway: '10.1.1.254', interface: 1 }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.1.1.254' }],
      dns: {},
    });
    expect(containerSide(r, 'eth0', '/run/netns/x')).toEqual({
      mac: '02:02:0a:01:01:05',
      addresses: ['10.1.1.5/24'],
    });
    expect(containerSide(r, 'eth1', '/run/netns/x')).toBeUndefined();
  });

  it('appends to a previous result, shifting its interface index', () => {
    const prev = {
      cniVersion: '1.1.0',
      interfaces: [{ name: 'lo0' }],
      ips: [{ address: '192.0.2.1/32', interface: 0 }],
    };
    const r = attachmentResult('1.1.0', { ...wired, gateway: '' }, { nameservers: ['10.1.1.53'] }, prev);
    expect(r.interfaces?.map((i) => i.name)).toEqual(['lo0', 'syc0123456789', 'eth0']);
    expect(r.ips).toEqual([
      { address: '192.0.2.1/32', interface: 0 },
      { address: '10.1.1.5/24', interface: 2 },
    ]);
    expect(r.routes).toEqual([]);
    expect(r.dns).toEqual({ nameservers: ['10.1.1.53'] });
  });
});

describe('names', () => {
  it('are stable, short enough for the kernel and the fabric', () => {
    expect(hostIfnameFor('sy', 'abc', 'eth0')).toBe(hostIfnameFor('sy', 'abc', 'eth0'));
    expect(hostIfnameFor('sy', 'abc', 'eth0')).not.toBe(hostIfnameFor('sy', 'abc', 'eth1'));
    expect(hostIfnameFor('abcd', 'x'.repeat(256), 'eth0')).toHaveLength(15);
    expect(endpointIdFor('abc', 'eth0')).toBe('cni-abc-eth0');
    expect(endpointIdFor('x'.repeat(256), 'eth0')).toMatch(/^cni-[0-9a-f]{64}$/);
    expect(
      bridgeNameFor('sy', {
        encap: 'vxlan',
        tag: 16_777_215,
        cidr: '10.0.0.0/24',
        prefixLength: 24,
        gateway: '',
      }).length,
    ).toBeLessThanOrEqual(15);
    expect(rulesetTable('# x\ntable inet switchyard_t1 {\n}')).toBe('switchyard_t1');
    expect(rulesetTable('table ip other {}')).toBeUndefined();
  });
});
