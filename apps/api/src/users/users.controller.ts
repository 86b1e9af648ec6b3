import { Body, Controller, Get, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQuery } from '../common/pagination.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { CreateUserDto, UpdateUserDto, UserDto } from './users.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user' })
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
  @ApiOperation({ summary: 'List users' })
  list(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.users.list(caller, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: "Change a user's role, email or password" })
  @RequireRole('operator')
  @ApiOkResponse({ type: UserDto })
  @ApiForbiddenResponse({
    description:
      "A user above the calling token's role (its own user included), a role above it, one's own role " +
      'or password, or (members) anyone',
  })
  update(@Caller() caller: Principal, @Param('id', UuidPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(caller, id, dto);
  }
}
