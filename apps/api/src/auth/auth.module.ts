import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { PrincipalsRepository } from './principals.repository.js';
import { SignInAttemptsService } from './sign-in-attempts.service.js';
import { SignInRateService } from './sign-in-rate.service.js';
import { TokenAuthService } from './token-auth.service.js';

@Global()
@Module({
  providers: [
    PrincipalsRepository,
    TokenAuthService,
    SignInAttemptsService,
    SignInRateService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenAuthService, SignInAttemptsService, SignInRateService],
})
export class AuthModule {}
