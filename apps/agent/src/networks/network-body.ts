import { FieldChecker } from '../http/fields.js';
import type { NetworkSpec } from '../state/records.js';
import { isHostIn, isNetworkAddress, parseCidr } from './ipv4.js';

const IPV4 =
  /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;
export const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks `PUT /v1/networks/{name}`'s body; a 400 names every bad field. */
export function readNetworkBody(name: string, body: unknown): NetworkSpec {
  const f = new FieldChecker();
  if (!NETWORK_NAME.test(name)) f.add('name', 'must be 1-64 of [A-Za-z0-9_.-]');
  const b = f.object('body', body) ?? {};
  f.noOthers('', b, ['cidr', 'gateway', 'encap', 'tag', 'remotes']);
  const cidr = f.string('cidr', b.cidr, {
    max: 18,
    pattern: /^[0-9.]+\/([89]|[12][0-9]|30)$/,
    rule: 'must be a.b.c.d/8-30',
  });
  if (cidr && (!IPV4.test(cidr.split('/')[0] ?? '') || !isNetworkAddress(parseCidr(cidr)))) {
    f.add('cidr', 'must be a network address (no host bits) with a prefix length of 8-30');
  }
  const gateway = f.string('gateway', b.gateway, { max: 15, pattern: IPV4, rule: 'must be an IPv4 address' });
  if (cidr && gateway && f.problems.length === 0 && !isHostIn(gateway, parseCidr(cidr))) {
    f.add('gateway', 'must be a host address inside cidr');
  }
  const encap = b.encap;
  if (encap !== 'vlan' && encap !== 'vxlan') f.add('encap', 'must be vlan or vxlan');
  const tag = f.integer('tag', b.tag, 1, encap === 'vlan' ? 4094 : 16_777_215);
  const remotes: string[] = [];
  if (b.remotes !== undefined) {
    if (!Array.isArray(b.remotes) || b.remotes.length > 64)
      f.add('remotes', 'must be a list of at most 64 IPv4 addresses');
    else {
      b.remotes.forEach((r, i) => {
        const ok = f.string(`remotes[${i}]`, r, { max: 15, pattern: IPV4, rule: 'must be an IPv4 address' });
        if (ok && remotes.includes(ok)) f.add(`remotes[${i}]`, 'is listed twice');
        else if (ok) remotes.push(ok);
      });
      if (encap === 'vlan' && remotes.length > 0) f.add('remotes', 'only a vxlan network has remotes');
    }
  }
  f.done();
  return { cidr: cidr!, gateway: gateway!, encap: encap as NetworkSpec['encap'], tag: tag!, remotes };
}
