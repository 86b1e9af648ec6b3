import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { TokenAuthService } from './token-auth.service.js';

@Global()
@Module({
  providers: [TokenAuthService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenAuthService],
})
export class AuthModule {}
