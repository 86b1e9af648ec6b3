import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { AuthChangeListener } from './auth-change-listener.service.js';
import { AuthGuard } from './auth.guard.js';
import { PrincipalCache } from './principal-cache.js';
import { PrincipalsRepository } from './principals.repository.js';
import { SignInAttemptsService } from './sign-in-attempts.service.js';
import { SignInRateService } from './sign-in-rate.service.js';
import { TokenAuthService } from './token-auth.service.js';

@Global()
@Module({
  providers: [
    {
      provide: PrincipalCache,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PrincipalCache(config.sessions.principalCacheMs),
    },
    AuthChangeListener,
    PrincipalsRepository,
    TokenAuthService,
    SignInAttemptsService,
    SignInRateService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [PrincipalCache, TokenAuthService, SignInAttemptsService, SignInRateService],
})
export class AuthModule {}
