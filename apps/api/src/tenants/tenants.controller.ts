import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQuery } from '../common/pagination.js';
import { CreateTenantDto, TenantDto } from './tenants.dto.js';
import { toTenantDto } from './tenant-dto.util.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tenant (admin)' })
  @RequireRole('admin')
  @ApiCreatedResponse({ type: TenantDto })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateTenantDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const tenant = await this.tenants.create(caller, dto);
    res.location(`/api/v1/tenants/${tenant.name}`);
    return tenant;
  }

  @Get()
  @ApiOperation({ summary: 'List tenants' })
  list(@Caller() caller: Principal, @Query() query: PageQuery) {
    return this.tenants.list(caller, query);
  }

  @Get(':name')
  @ApiOperation({ summary: 'One tenant, by name' })
  @ApiOkResponse({ type: TenantDto })
  async get(@Caller() caller: Principal, @Param('name') name: string) {
    return toTenantDto(await this.tenants.get(caller, name));
  }
}
