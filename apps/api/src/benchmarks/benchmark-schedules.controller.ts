import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { PageQuery } from '../common/pagination.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import { BenchmarkScheduleDto, BenchmarkSchedulePageDto } from './benchmark-responses.dto.js';
import { BenchmarkSchedulesService } from './benchmark-schedules.service.js';

/** Repeating benchmarks: made by `POST /benchmarks` with `schedule`, listed and stopped here. */
@ApiTags('benchmarks')
@ApiBearerAuth()
@Controller('api/v1/benchmark-schedules')
export class BenchmarkSchedulesController {
  constructor(@Inject(BenchmarkSchedulesService) private readonly schedules: BenchmarkSchedulesService) {}

  @Get()
  @ApiOperation({ summary: 'List benchmark schedules: next run and the benchmarks each made' })
  @ApiOkResponse({ type: BenchmarkSchedulePageDto })
  list(@Caller() caller: Principal, @Query() query: PageQuery): Promise<BenchmarkSchedulePageDto> {
    return this.schedules.list(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One benchmark schedule' })
  @ApiOkResponse({ type: BenchmarkScheduleDto })
  get(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<BenchmarkScheduleDto> {
    return this.schedules.get(caller, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop the repeats (the benchmarks made stay; a running one is not cancelled)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.schedules.delete(caller, id);
  }
}
