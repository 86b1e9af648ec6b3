import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiPageResponse } from '../openapi/page-response.decorator.js';
import { EnvironmentCatalogService } from './environment-catalog.service.js';
import {
  CreateEnvironmentDto,
  EnvironmentCatalogResponseDto,
  EnvironmentDto,
  EnvironmentQuery,
  UpdateEnvironmentDto,
} from './environments.dto.js';
import { EnvironmentsService } from './environments.service.js';

const location = (name: string) => `/api/v1/environments/${encodeURIComponent(name)}`;

/** Environments by name: members read the ones they may use; operators manage their tenant's. */
@ApiTags('clouds')
@ApiBearerAuth()
@Controller('api/v1/environments')
export class EnvironmentsController {
  constructor(
    @Inject(EnvironmentsService) private readonly environments: EnvironmentsService,
    @Inject(EnvironmentCatalogService) private readonly catalogs: EnvironmentCatalogService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create an environment' })
  @RequireRole('operator')
  @ApiCreatedResponse({ type: EnvironmentDto })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateEnvironmentDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const environment = await this.environments.create(caller, dto);
    res.location(location(environment.name));
    return environment;
  }

  @Get()
  @ApiOperation({ summary: 'List environments' })
  @ApiPageResponse(EnvironmentDto)
  list(@Caller() caller: Principal, @Query() query: EnvironmentQuery) {
    return this.environments.list(caller, query);
  }

  @Get(':name')
  @ApiOperation({ summary: 'One environment, by name' })
  @ApiOkResponse({ type: EnvironmentDto })
  get(@Caller() caller: Principal, @Param('name') name: string) {
    return this.environments.get(caller, name);
  }

  @Get(':name/catalog')
  @ApiOperation({ summary: 'Instance types and images an environment offers, priced' })
  @ApiOkResponse({
    type: EnvironmentCatalogResponseDto,
    description: 'What the planner sees: priced types, images',
  })
  catalog(@Caller() caller: Principal, @Param('name') name: string) {
    return this.catalogs.catalog(caller, name);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Change an environment' })
  @RequireRole('operator')
  @ApiOkResponse({ type: EnvironmentDto })
  update(@Caller() caller: Principal, @Param('name') name: string, @Body() dto: UpdateEnvironmentDto) {
    return this.environments.update(caller, name, dto);
  }

  @Delete(':name')
  @ApiOperation({ summary: 'Delete an environment' })
  @RequireRole('operator')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@Caller() caller: Principal, @Param('name') name: string) {
    await this.environments.remove(caller, name);
  }
}
