import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { UuidPipe } from '../common/uuid.pipe.js';
import {
  BenchmarkDto,
  BenchmarkHistoryDto,
  BenchmarkPageDto,
  BenchmarkSampleDto,
} from './benchmark-responses.dto.js';
import { toCsv, toSamples } from './benchmark-view.util.js';
import { BenchmarkRequestService } from './benchmark-request.service.js';
import {
  BenchmarkExportQuery,
  BenchmarkHistoryQuery,
  BenchmarkListQuery,
  CreateBenchmarkDto,
} from './benchmarks.dto.js';
import { BenchmarksService } from './benchmarks.service.js';

@ApiTags('benchmarks')
@ApiBearerAuth()
@Controller('api/v1/benchmarks')
export class BenchmarksController {
  constructor(
    @Inject(BenchmarkRequestService) private readonly requests: BenchmarkRequestService,
    @Inject(BenchmarksService) private readonly benchmarks: BenchmarksService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Benchmark a blueprint on candidate placements: deploy, measure, tear down, rank',
  })
  @ApiAcceptedResponse({ type: BenchmarkDto, description: 'The benchmark, running; its URL in Location' })
  async create(
    @Caller() caller: Principal,
    @Body() dto: CreateBenchmarkDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BenchmarkDto> {
    const id = await this.requests.create(caller, dto);
    res.location(`/api/v1/benchmarks/${id}`);
    return this.benchmarks.get(caller, id);
  }

  @Get()
  @ApiOperation({ summary: 'List benchmarks (newest first)' })
  @ApiOkResponse({ type: BenchmarkPageDto })
  list(@Caller() caller: Principal, @Query() query: BenchmarkListQuery): Promise<BenchmarkPageDto> {
    return this.benchmarks.list(caller, query);
  }

  @Get('history')
  @ApiOperation({ summary: "A blueprint's measured candidates over time (per environment), so drift shows" })
  @ApiOkResponse({ type: BenchmarkHistoryDto })
  history(@Caller() caller: Principal, @Query() query: BenchmarkHistoryQuery): Promise<BenchmarkHistoryDto> {
    return this.benchmarks.history(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One benchmark: candidates, runs, results, ranking' })
  @ApiOkResponse({ type: BenchmarkDto })
  get(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<BenchmarkDto> {
    return this.benchmarks.get(caller, id);
  }

  @Delete(':id')
  @HttpCode(202)
  @ApiOperation({ summary: "Cancel: every candidate's deployment is torn down" })
  @ApiAcceptedResponse({ type: BenchmarkDto, description: 'Cancelling; 409 once it has ended' })
  cancel(@Caller() caller: Principal, @Param('id', UuidPipe) id: string): Promise<BenchmarkDto> {
    return this.benchmarks.cancel(caller, id);
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'The results as JSON (the benchmark) or CSV (one line per candidate)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(BenchmarkDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async export(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: BenchmarkExportQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BenchmarkDto | string> {
    const b = await this.benchmarks.get(caller, id);
    const format = query.format ?? 'json';
    res.setHeader('Content-Disposition', `attachment; filename="benchmark-${id}.${format}"`);
    if (format === 'json') return b;
    res.type('text/csv');
    return toCsv(b);
  }

  @Get(':id/samples')
  @ApiOperation({ summary: "Every run's raw figures as PerfKitBenchmarker samples" })
  @ApiOkResponse({ type: [BenchmarkSampleDto] })
  async samples(
    @Caller() caller: Principal,
    @Param('id', UuidPipe) id: string,
  ): Promise<BenchmarkSampleDto[]> {
    return toSamples(await this.benchmarks.get(caller, id));
  }
}
