import { Inject, Injectable } from '@nestjs/common';
import { openAccountCredentials, SecretBox } from '@switchyard/core/crypto';
import type { CloudAccountEntity } from '@switchyard/core/database';
import type { CloudAdapter } from '../adapter/cloud-adapter.js';
import { createCloudAdapter } from '../create-cloud-adapter.js';
import {
  accountConnection,
  environmentConnection,
  type ConnectionLimits,
  type EnvironmentPlacement,
} from './account-fields.js';

/** What opening an account reads of its row: where it connects and its sealed credentials. */
export type SealedAccount = Pick<
  CloudAccountEntity,
  'id' | 'provider' | 'settings' | 'secretKeyId' | 'secretData'
>;

/**
 * "The adapter for this account": the one place where an account's credentials are opened (in
 * memory only) and a connection is made from them, in the API and in the worker alike. Every
 * adapter it returns is fresh: the caller closes it.
 */
@Injectable()
export class CloudAccountAdapters {
  constructor(@Inject(SecretBox) private readonly box: SecretBox) {}

  /** The account's credentials in the clear; CredentialsUnreadable when the keys cannot open them. */
  credentials(account: Pick<SealedAccount, 'id' | 'secretKeyId' | 'secretData'>): Record<string, unknown> {
    return openAccountCredentials(this.box, account);
  }

  /** An adapter on the account as a whole (connection test, inventory sync). */
  open(account: SealedAccount, limits?: ConnectionLimits): CloudAdapter {
    return this.connect(account, this.credentials(account), limits);
  }

  /** An adapter narrowed to one environment of the account: its region, placement and sizes. */
  openInEnvironment(
    account: SealedAccount,
    environment: EnvironmentPlacement,
    limits?: ConnectionLimits,
  ): CloudAdapter {
    return createCloudAdapter(
      environmentConnection(
        account.provider,
        account.settings,
        this.credentials(account),
        environment,
        limits,
      ),
    );
  }

  /** An adapter from credentials already in the clear (a connection test, a demo cloud's probe). */
  connect(
    account: Pick<SealedAccount, 'provider' | 'settings'>,
    credentials: Record<string, unknown>,
    limits?: ConnectionLimits,
  ): CloudAdapter {
    return createCloudAdapter(accountConnection(account.provider, account.settings, credentials, limits));
  }
}
