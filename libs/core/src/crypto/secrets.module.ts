import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { SecretBox } from './secret-box.js';

/** The one SecretBox of a process, on the configured keyring: inject `SecretBox`. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox(config.secrets),
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
