import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQuery } from '../common/pagination.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { CreatedTokenDto, CreateTokenDto } from './tokens.dto.js';
import { TokensService } from './tokens.service.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/v1/tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedTokenDto, description: 'The token is in the answer this once' })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateTokenDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const token = await this.tokens.create(caller, dto);
    res.location(`/api/v1/tokens/${token.id}`);
    res.setHeader('Cache-Control', 'no-store');
    return token;
  }

  @Get()
  list(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.tokens.list(caller, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (repeating it is harmless)' })
  async revoke(@Caller() caller: Principal, @Param('id', UuidPipe) id: string) {
    await this.tokens.revoke(caller, id);
  }
}
