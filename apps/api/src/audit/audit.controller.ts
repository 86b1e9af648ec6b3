import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { PageQuery } from '../common/pagination.js';
import { AuditPageDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';

class AuditQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) resourceType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) resourceId?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit-log')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit log: who changed what, when' })
  @RequireRole('operator')
  @ApiOkResponse({
    type: AuditPageDto,
    description: 'Mutations, newest first: who, what (with its name), when, before and after',
  })
  list(@Caller() caller: Principal, @Query() query: AuditQuery): Promise<AuditPageDto> {
    return this.audit.list(tenantScope(caller), query);
  }
}
