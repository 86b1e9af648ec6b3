import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloudAccountAdapters } from '@switchyard/cloud-adapters';
import {
  CredentialsUnreadable,
  sealAccountCredentials,
  SecretBox,
  type SealedSecret,
} from '@switchyard/core/crypto';
import type { CloudAccountEntity } from '@switchyard/core/database';
import { AppException } from '../common/app.exception.js';

/** Seals and opens cloud credentials with the configured keyring (AES-256-GCM, account id as AAD). */
@Injectable()
export class CloudSecretsService {
  private readonly logger = new Logger(CloudSecretsService.name);

  constructor(
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(CloudAccountAdapters) private readonly adapters: CloudAccountAdapters,
  ) {}

  seal(accountId: string, credentials: Record<string, unknown>): SealedSecret {
    return sealAccountCredentials(this.box, accountId, credentials);
  }

  /**
   * The plain credentials. A key that cannot open them is a 409 saying so (not a 500): the
   * operator either configures the old key again or enters the credentials anew with PATCH.
   */
  open(account: Pick<CloudAccountEntity, 'id' | 'secretKeyId' | 'secretData'>): Record<string, unknown> {
    try {
      return this.adapters.credentials(account);
    } catch (err) {
      if (!(err instanceof CredentialsUnreadable)) throw err;
      this.logger.error(err.message);
      throw AppException.conflict(
        `${err.message}. Configure the key they were sealed with, or replace the credentials ` +
          '(PATCH the account with new credentials)',
        [{ path: 'credentials', message: 'cannot be decrypted with the configured keys' }],
      );
    }
  }
}
