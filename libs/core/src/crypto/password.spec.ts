import { hashPassword, passwordNeedsRehash, verifyPassword } from './password.js';

// cheap parameters for the cases that do not test the default cost
const FAST = { ln: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores scrypt with its parameters and a random 16-byte salt, never the password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(hash).not.toContain('correct horse');
    const again = await hashPassword('correct horse battery staple');
    expect(again).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });

  it('checks a hash with the parameters it was made with, and says when it is weaker than today’s', async () => {
    const weak = await hashPassword('an older password', FAST);
    expect(weak.startsWith('$scrypt$ln=10,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('an older password', weak)).toBe(true);
    expect(passwordNeedsRehash(weak)).toBe(true);
    expect(passwordNeedsRehash(weak, FAST)).toBe(false);
  });

  it('matches the same password whether its accents are composed or not', async () => {
    const hash = await hashPassword('cr\u00e8me br\u00fbl\u00e9e!', FAST);
    expect(await verifyPassword('cre\u0300me bru\u0302le\u0301e!', hash)).toBe(true);
  });

  it('answers false, after spending a hash’s time, without a usable hash', async () => {
    // time is compared within this run (a ratio, never a fixed bound): a missing or unreadable
    // hash must cost about what a wrong password against a real one costs, interleaved to share
    // whatever else the machine is doing
    const real = await hashPassword('the real one');
    await verifyPassword('warm up the dummy', null);
    const timed = async (stored: string | null) => {
      const t0 = process.hrtime.bigint();
      expect(await verifyPassword('a wrong guess', stored)).toBe(false);
      return Number(process.hrtime.bigint() - t0);
    };
    const withHash: number[] = [];
    const without: number[] = [];
    for (let i = 0; i < 5; i++) {
      withHash.push(await timed(real));
      without.push(await timed(i % 2 ? null : 'plaintext'));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
    expect(median(without) / median(withHash)).toBeGreaterThan(0.5);

    expect(await verifyPassword('anything at all', null)).toBe(false);
    expect(await verifyPassword('anything at all', 'plaintext')).toBe(false);
    // a cost far above the limits is refused, not computed
    expect(await verifyPassword('x', '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA')).toBe(false);
  });
});
