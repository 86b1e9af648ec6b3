import { signWebhook, verifyWebhook } from './webhook-signature.js';
import { AllowedTargets, isAllowedTargetEntry, targetRefusal } from './webhook-target.js';

const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe('webhook targets', () => {
  const none = new AllowedTargets([]);

  it('refuses internal addresses unless an admin allowed the host or a block holding them', async () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ]) {
      expect(none.refusal('h', ip)).toMatch(/internal address/);
    }
    expect(none.refusal('h', '93.184.215.14')).toBeUndefined();
    expect(none.refusal('h', '2606:2800:21f:cb07::1')).toBeUndefined();
    const some = new AllowedTargets(['127.0.0.1/32', 'hooks.internal', 'fd00::/8']);
    expect(some.refusal('x', '127.0.0.1')).toBeUndefined();
    expect(some.refusal('x', '::ffff:127.0.0.1')).toBeUndefined();
    expect(some.refusal('x', '127.0.0.2')).toMatch(/internal/);
    expect(some.refusal('HOOKS.internal', '10.0.0.9')).toBeUndefined();
    expect(some.refusal('x', 'fd12::1')).toBeUndefined();
  });

  it('judges a URL by its scheme, its credentials and every address its host resolves to', async () => {
    expect(await targetRefusal('ftp://example.com/', none)).toBe('must be an http or https URL');
    expect(await targetRefusal('not a url', none)).toBe('must be an absolute http or https URL');
    expect(await targetRefusal('https://u:p@example.com/', none)).toBe(
      'must not carry a user name or password',
    );
    expect(await targetRefusal('https://[::1]:8443/x', none)).toMatch(/internal address \(::1\)/);
    // one internal address among public ones is enough to refuse (DNS answers may rotate)
    expect(
      await targetRefusal('https://hooks.example/x', none, resolvesTo('93.184.215.14', '10.0.0.1')),
    ).toMatch(/hooks.example is an internal address \(10.0.0.1\)/);
    expect(await targetRefusal('https://hooks.example/x', none, resolvesTo('93.184.215.14'))).toBeUndefined();
    const failing = async () => Promise.reject(new Error('ENOTFOUND'));
    expect(await targetRefusal('https://nowhere.example/', none, failing)).toBe(
      'nowhere.example does not resolve',
    );
  });

  it('takes host names, addresses and CIDR blocks as allowed entries, nothing else', () => {
    expect(
      ['hooks.example.com', '127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'].every(isAllowedTargetEntry),
    ).toBe(true);
    expect(['not a host', '10.0.0.0/33', '1.2.3.4/8/1', '', 'a..b'].some(isAllowedTargetEntry)).toBe(false);
  });
});

describe('webhook signatures', () => {
  const now = Date.parse('2026-12-06T00:00:00Z');
  const ts = now / 1000;

  it('verifies what was signed, and nothing changed, late or signed with another secret', () => {
    const body = '{"type":"approval.requested"}';
    const signature = signWebhook('whsec_a', ts, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook('whsec_a', { timestamp: String(ts), signature }, body, now)).toBe(true);
    expect(verifyWebhook('whsec_b', { timestamp: String(ts), signature }, body, now)).toBe(false);
    expect(verifyWebhook('whsec_a', { timestamp: String(ts), signature }, `${body} `, now)).toBe(false);
    expect(verifyWebhook('whsec_a', { timestamp: String(ts + 1), signature }, body, now)).toBe(false);
    expect(verifyWebhook('whsec_a', { timestamp: String(ts), signature }, body, now + 301_000)).toBe(false);
    expect(verifyWebhook('whsec_a', { timestamp: undefined, signature }, body, now)).toBe(false);
  });
});
