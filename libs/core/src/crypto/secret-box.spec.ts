import { loadConfig } from '../config/config.js';
import { SecretBox, maskSecret } from './secret-box.js';

describe('SecretBox', () => {
  const k1 = Buffer.alloc(32, 7).toString('base64');
  const k2 = Buffer.alloc(32, 9).toString('base64');

  it('seals and opens, and the sealed form does not contain the secret', () => {
    const box = new SecretBox(loadConfig({ SWITCHYARD_SECRET_KEY: k1 }).secrets);
    const sealed = box.seal('hunter2-very-secret', 'cloud-account:1');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.data, 'base64').toString('latin1')).not.toContain('hunter2');
    expect(box.open(sealed, 'cloud-account:1')).toBe('hunter2-very-secret');
  });

  it('refuses a secret moved to another record (associated data)', () => {
    const box = new SecretBox(loadConfig({ SWITCHYARD_SECRET_KEY: k1 }).secrets);
    const sealed = box.seal('s3cret', 'cloud-account:1');
    expect(() => box.open(sealed, 'cloud-account:2')).toThrow();
  });

  it('opens with an old key after rotation and marks the secret stale', () => {
    const before = new SecretBox(loadConfig({ SWITCHYARD_SECRET_KEY: k1 }).secrets);
    const sealed = before.seal('rotate-me');
    const after = new SecretBox(
      loadConfig({
        SWITCHYARD_SECRET_KEY: k2,
        SWITCHYARD_SECRET_KEY_ID: 'k2',
        SWITCHYARD_OLD_SECRET_KEYS: `k1:${k1}`,
      }).secrets,
    );
    expect(after.open(sealed)).toBe('rotate-me');
    expect(after.isStale(sealed)).toBe(true);
  });

  it('masks', () => {
    expect(maskSecret('AKIAABCDEFGHIJKL1234')).toBe('********1234');
    expect(maskSecret('short')).toBe('********');
  });
});
