import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQuery } from '../common/pagination.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { ApiPageResponse } from '../openapi/page-response.decorator.js';
import { CreatedTokenDto, CreateTokenDto, TokenDto } from './tokens.dto.js';
import { TokensService } from './tokens.service.js';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/v1/tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API token (shown once)' })
  @ApiCreatedResponse({ type: CreatedTokenDto, description: 'The token is in the answer this once' })
  @ApiForbiddenResponse({
    description:
      'An owner above the calling token’s role, another user for a member, or a role above the ' +
      'owner’s or the caller’s',
  })
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
  @ApiOperation({ summary: 'List tokens' })
  @ApiPageResponse(TokenDto)
  list(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.tokens.list(caller, query);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a token' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (repeating it is harmless)' })
  @ApiForbiddenResponse({
    description:
      'A token of a user above the calling token’s role, or (members) of another user; one’s own ' +
      'token can always be revoked',
  })
  async revoke(@Caller() caller: Principal, @Param('id', UuidPipe) id: string) {
    await this.tokens.revoke(caller, id);
  }
}
