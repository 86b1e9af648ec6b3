import { AgentError } from '../http/agent-error.js';
import { readNetworkBody } from './network-body.js';

function fieldsOf(act: () => unknown): string[] {
  try {
    act();
  } catch (e) {
    return ((e as AgentError).details.fields as { path: string }[]).map((f) => f.path);
  }
  throw new Error('no error');
}

describe('readNetworkBody', () => {
  it('accepts a vxlan network with remotes', () => {
    expect(
      readNetworkBody('front', {
        cidr: '10.1.0.0/24',
        gateway: '10.1.0.1',
        encap: 'vxlan',
        tag: 5000,
        remotes: ['192.0.2.2'],
      }),
    ).toEqual({
      cidr: '10.1.0.0/24',
      gateway: '10.1.0.1',
      encap: 'vxlan',
      tag: 5000,
      remotes: ['192.0.2.2'],
    });
  });

  it.each([
    [{ cidr: '10.1.0.5/24', gateway: '10.1.0.1', encap: 'vlan', tag: 5 }, ['cidr']],
    [{ cidr: '10.1.0.0/24', gateway: '10.1.0.255', encap: 'vlan', tag: 5 }, ['gateway']],
    [{ cidr: '10.1.0.0/24', gateway: '10.1.0.1', encap: 'vlan', tag: 5000 }, ['tag']],
    [{ cidr: '10.1.0.0/24', gateway: '10.1.0.1', encap: 'vlan', tag: 5, remotes: ['10.0.0.1'] }, ['remotes']],
    [
      { cidr: '10.1.0.0/24', gateway: '10.1.0.1', encap: 'vxlan', tag: 5, remotes: ['x', 'y'] },
      ['remotes[0]', 'remotes[1]'],
    ],
    [{ cidr: '10.1.0.0/24', gateway: '10.1.0.1', encap: 'vxlan', tag: 5, extra: 1 }, ['extra']],
  ])('names the bad fields of %j', (body, paths) => {
    expect(fieldsOf(() => readNetworkBody('n', body))).toEqual(paths);
  });
});
