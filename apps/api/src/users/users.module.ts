import { Global, Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UserPasswordsService } from './user-passwords.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/**
 * Users and their passwords. Global, like the audit log: tokens, sessions, `me` and the seeding
 * all act on users (and tokens need the rule for acting on one, which lives here).
 */
@Global()
@Module({
  imports: [TenantsModule, TokensModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, UserPasswordsService],
  exports: [UsersRepository, UsersService, UserPasswordsService],
})
export class UsersModule {}
