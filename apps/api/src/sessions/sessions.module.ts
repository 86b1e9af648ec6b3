import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

/** Password sign-in: a session token out, with rate limits and lockout (AuthModule). */
@Module({
  imports: [TokensModule],
  controllers: [SessionsController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
