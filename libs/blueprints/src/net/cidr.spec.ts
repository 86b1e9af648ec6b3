import { parseCidr } from './cidr.util.js';

describe('parseCidr', () => {
  it.each([
    '10.0.0.0/8',
    '0.0.0.0/0',
    '192.168.1.128/25',
    '10.1.2.3/32',
    '::/0',
    '2001:db8::/32',
    'fd00::/8',
    '::1/128',
    '::ffff:10.0.0.0/104',
    '1:2:3:4:5:6:7:8/128',
  ])('accepts %s', (text) => {
    expect(parseCidr(text).ok).toBe(true);
  });

  it.each([
    ['10.0.0.0', 'is not a CIDR'],
    ['10.0.0.0/33', 'prefix length must be 0..32'],
    ['10.0.0/8', 'not a valid IPv4 address'],
    ['256.0.0.0/8', 'not a valid IPv4 address'],
    ['010.0.0.0/8', 'not a valid IPv4 address'],
    ['10.0.0.0/08', 'prefix length'],
    ['10.1.0.0/8', 'did you mean 10.0.0.0/8?'],
    ['2001:db8::1/32', 'host bits set'],
    ['2001:db8:::/32', 'not a valid IPv6 address'],
    ['1:2:3:4:5:6:7:8:9/128', 'not a valid IPv6 address'],
    ['fe80::1%eth0/64', 'not a valid IPv6 address'],
    ['::/129', 'prefix length must be 0..128'],
  ])('refuses %s', (text, message) => {
    const result = parseCidr(text);
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('reads the network address exactly', () => {
    const v6 = parseCidr('::ffff:10.0.0.0/104');
    expect(v6.ok && v6.cidr.address).toBe(0xffff0a000000n);
    const v4 = parseCidr('192.168.0.0/16');
    expect(v4.ok && v4.cidr).toEqual({ family: 4, address: 0xc0a80000n, prefix: 16, text: '192.168.0.0/16' });
  });
});
