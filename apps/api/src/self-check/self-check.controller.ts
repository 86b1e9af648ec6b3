import { Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, RequireRole } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { SelfCheckDto } from './self-check.dto.js';
import { SelfCheckService } from './self-check.service.js';

@ApiTags('admin')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('api/v1/admin/self-check')
export class SelfCheckController {
  constructor(@Inject(SelfCheckService) private readonly checks: SelfCheckService) {}

  @Post()
  @ApiOperation({ summary: 'Ask a worker to check Postgres, Redis and the queues' })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SelfCheckDto, description: 'Queued; poll its Location' })
  async request(@Caller() caller: Principal, @Res({ passthrough: true }) res: Response) {
    const check = await this.checks.request(caller);
    res.location(`/api/v1/admin/self-check/${check.id}`);
    return check;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A self-check and its verdict' })
  @ApiOkResponse({ type: SelfCheckDto })
  get(@Caller() caller: Principal, @Param('id', UuidPipe) id: string) {
    return this.checks.get(caller, id);
  }
}
