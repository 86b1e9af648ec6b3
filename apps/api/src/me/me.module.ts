import { Module } from '@nestjs/common';
import { MeController } from './me.controller.js';

/** The caller itself: who the token belongs to, and changing one's own password (UsersModule). */
@Module({ controllers: [MeController] })
export class MeModule {}
