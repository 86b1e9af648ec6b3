import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKeyring } from '../config/config.js';

/** A secret encrypted at rest: AES-256-GCM, with the id of the key that sealed it (for rotation). */
export interface SealedSecret {
  keyId: string;
  /** base64 of iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes) */
  data: string;
}

/** Encrypts and decrypts secrets with the configured keyring. */
export class SecretBox {
  constructor(private readonly keys: SecretKeyring) {}

  seal(plain: string, associatedData = ''): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.active.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return {
      keyId: this.keys.active.id,
      data: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64'),
    };
  }

  open(sealed: SealedSecret, associatedData = ''): string {
    const key = this.keys.all.get(sealed.keyId);
    if (!key) throw new Error(`secret sealed with unknown key id "${sealed.keyId}"`);
    const raw = Buffer.from(sealed.data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Whether a secret should be sealed again with the active key. */
  isStale(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.keys.active.id;
  }
}

/** How a secret is shown back: never the value, at most its last four characters. */
export function maskSecret(plain: string | undefined, showLast = true): string {
  if (!plain) return '********';
  return showLast && plain.length >= 12 ? `********${plain.slice(-4)}` : '********';
}
