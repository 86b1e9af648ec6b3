import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQuery } from '../common/pagination.js';
import { CreateUserDto, UserDto } from './users.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  @RequireRole('operator')
  @ApiCreatedResponse({ type: UserDto })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateUserDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const user = await this.users.create(caller, dto);
    res.location(`/api/v1/users/${user.id}`);
    return user;
  }

  @Get()
  list(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.users.list(caller, query);
  }
}
