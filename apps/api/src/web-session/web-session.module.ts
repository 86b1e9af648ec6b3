import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { WebSessionController } from './web-session.controller.js';
import { WebSessionService } from './web-session.service.js';

/** The browser's session in an HttpOnly cookie (a sign-in's session token, or a pasted token). */
@Module({
  imports: [SessionsModule, TokensModule],
  controllers: [WebSessionController],
  providers: [WebSessionService],
})
export class WebSessionModule {}
