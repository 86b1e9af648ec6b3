import { formatIPv6, parseIPv4, parseIPv6, parseIp } from './ip.util.js';
import { endpointMac } from './mac.util.js';
import { formatSpans, subtractSpans, toSpans } from './range-list.util.js';
import { parsePool, parseSubnet, poolsOverlap, subnetsOverlap, usableSpan } from './subnet.util.js';

const v4 = (s: string) => parseIPv4(s) ?? -1n;

describe('IP parsing', () => {
  it('parses and refuses IPv4', () => {
    expect(v4('10.1.2.3')).toBe(0x0a010203n);
    for (const bad of ['10.1.2', '10.1.2.256', '01.1.1.1', '1.1.1.1.1', 'a.b.c.d'])
      expect(parseIPv4(bad)).toBeUndefined();
  });

  it('parses IPv6 forms and prints RFC 5952', () => {
    expect(formatIPv6(parseIPv6('2001:0db8:0000:0000:0000:0000:0000:0001') ?? 0n)).toBe('2001:db8::1');
    expect(parseIPv6('::')).toBe(0n);
    expect(parseIPv6('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(formatIPv6(parseIPv6('1:0:0:2:0:0:0:3') ?? 0n)).toBe('1:0:0:2::3');
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '1.2.3.4::', ':::'])
      expect(parseIPv6(bad)).toBeUndefined();
    expect(parseIp('2001:db8::1')?.family).toBe(6);
  });
});

describe('subnets', () => {
  it('parses plain and ranged subnets and their usable span', () => {
    const plain = parseSubnet('60.1.1.0/24');
    if (!plain.ok) throw new Error(plain.message);
    expect(usableSpan(plain.value)).toEqual({ start: v4('60.1.1.1'), end: v4('60.1.1.254') });
    const ranged = parseSubnet('60.1.1.0-60.1.1.9/24');
    if (!ranged.ok) throw new Error(ranged.message);
    expect(usableSpan(ranged.value)).toEqual({ start: v4('60.1.1.1'), end: v4('60.1.1.9') });
  });

  it.each([
    ['10.1.1.0/31', /\/31 leaves no usable address/],
    ['10.1.1.0/32', /\/32 leaves no usable address/],
    ['10.1.1.9-10.1.1.5/24', /ends before it starts/],
    ['10.1.1.5-10.1.2.5/24', /not inside 10.1.1.0\/24/],
    ['10.1.1.255-10.1.1.255/24', /holds no usable address/],
    ['2001:db8::/127', /\/127 leaves no usable address/],
    ['10.1.1.0', /not a subnet/],
  ])('refuses %s', (text, message) => {
    const parsed = parseSubnet(text);
    expect(parsed.ok ? 'ok' : parsed.message).toMatch(message);
  });

  // Issue 16 reversed the refusal of host bits: Contiv scripts write subnets that way.
  it('reads a subnet with host bits as its block, as Contiv does', () => {
    const parsed = parseSubnet('60.1.1.1/24');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.value).toMatchObject({ network: v4('60.1.1.0'), broadcast: v4('60.1.1.255'), prefix: 24 });
    expect(usableSpan(parsed.value)).toEqual({ start: v4('60.1.1.1'), end: v4('60.1.1.254') });
  });

  it('compares pools by range for ranged subnets, by block otherwise', () => {
    const s = (t: string) => {
      const p = parseSubnet(t);
      if (!p.ok) throw new Error(p.message);
      return p.value;
    };
    expect(poolsOverlap(s('20.1.1.10-20.1.1.45/24'), s('20.1.1.50-20.1.1.90/24'))).toBe(false);
    expect(poolsOverlap(s('20.1.1.10-20.1.1.50/24'), s('20.1.1.50-20.1.1.90/24'))).toBe(true);
    expect(poolsOverlap(s('20.1.1.10-20.1.1.45/24'), s('20.1.1.0/24'))).toBe(true);
    expect(poolsOverlap(s('20.1.1.10-20.1.1.45/24'), s('20.1.2.0/24'))).toBe(false);
  });

  it('detects overlap by block, per family', () => {
    const s = (t: string) => {
      const p = parseSubnet(t);
      if (!p.ok) throw new Error(p.message);
      return p.value;
    };
    expect(subnetsOverlap(s('10.1.0.0/16'), s('10.1.5.0/24'))).toBe(true);
    expect(subnetsOverlap(s('10.1.1.0-10.1.1.10/24'), s('10.1.1.0-10.1.1.100/24'))).toBe(true);
    expect(subnetsOverlap(s('10.1.1.0/24'), s('10.1.2.0/24'))).toBe(false);
    expect(subnetsOverlap(s('2001:db8::/48'), s('2001:db8:0:1::/64'))).toBe(true);
  });

  it('parses pools', () => {
    expect(parsePool('10.1.1.10-10.1.1.20')).toEqual({
      ok: true,
      value: { start: v4('10.1.1.10'), end: v4('10.1.1.20') },
    });
    expect(parsePool('10.1.1.20-10.1.1.10').ok).toBe(false);
    expect(parsePool('10.1.1.0/24').ok).toBe(false);
  });
});

describe('range strings', () => {
  it('formats Contiv compact lists', () => {
    const values = ['60.1.1.1', '60.1.1.2', '60.1.1.254'].map(v4);
    expect(formatSpans(4, toSpans(values))).toBe('60.1.1.1-60.1.1.2, 60.1.1.254');
    expect(formatSpans(4, [])).toBe('');
  });

  it('subtracts holes from a span', () => {
    const spans = subtractSpans({ start: 1n, end: 20n }, [
      { start: 5n, end: 7n },
      { start: 1n, end: 1n },
      { start: 6n, end: 9n },
      { start: 20n, end: 30n },
    ]);
    expect(spans).toEqual([
      { start: 2n, end: 4n },
      { start: 10n, end: 19n },
    ]);
  });
});

describe('endpoint MAC', () => {
  it('is 02:02 and the IPv4 bytes in hex', () => {
    expect(endpointMac(v4('10.1.255.7'))).toBe('02:02:0a:01:ff:07');
  });
});
