import type { CloudAccountEntity } from '../database/cloud.entities.js';
import type { SealedSecret, SecretBox } from './secret-box.js';

/**
 * The stored credentials cannot be opened with the configured keys: the key changed (or its id
 * is unknown), or the row was tampered with. Carries no secret, only the key id.
 */
export class CredentialsUnreadable extends Error {
  constructor(
    readonly accountId: string,
    readonly keyId: string,
  ) {
    super(
      `the credentials of cloud account ${accountId} were sealed with key "${keyId}" and cannot be ` +
        'decrypted with the configured keys (SWITCHYARD_SECRET_KEY, SWITCHYARD_OLD_SECRET_KEYS)',
    );
    this.name = 'CredentialsUnreadable';
  }
}

/** Seals an account's credentials; the account id is the associated data, so rows cannot be swapped. */
export function sealAccountCredentials(
  box: SecretBox,
  accountId: string,
  credentials: Record<string, unknown>,
): SealedSecret {
  return box.seal(JSON.stringify(credentials), accountId);
}

/** Opens an account's credentials, or throws CredentialsUnreadable (never the crypto error's text). */
export function openAccountCredentials(
  box: SecretBox,
  account: Pick<CloudAccountEntity, 'id' | 'secretKeyId' | 'secretData'>,
): Record<string, unknown> {
  try {
    const plain = box.open({ keyId: account.secretKeyId, data: account.secretData }, account.id);
    return JSON.parse(plain) as Record<string, unknown>;
  } catch {
    throw new CredentialsUnreadable(account.id, account.secretKeyId);
  }
}
