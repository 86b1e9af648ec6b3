import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { MaxKeys } from '../common/max-keys.decorator.js';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';
import { PageQuery } from '../common/pagination.js';

export class CandidatePlacementDto {
  @ApiProperty({ example: 'aws-us-east-1', description: 'Environment of every tier not named below' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  default!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { db: 'vsphere-dc1' },
    description: 'Environment per tier',
  })
  @IsOptional()
  @IsObject()
  @MaxKeys(100)
  tiers?: Record<string, string>;
}

export class BenchmarkCandidateRequestDto {
  @ApiProperty({
    type: CandidatePlacementDto,
    description: 'Where the tiers go (mixed per-tier placements too)',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => CandidatePlacementDto)
  placement!: CandidatePlacementDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { web: 'lh.quarter' },
    description: "Instance type per tier by name (used even below the tier's size); others as planned",
  })
  @IsOptional()
  @IsObject()
  @MaxKeys(100)
  instanceTypes?: Record<string, string>;

  @ApiPropertyOptional({
    example: 'aws, web on t3.small',
    description: 'Shown in reports (default: derived)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}

export class BenchmarkLoadRequestDto {
  @ApiPropertyOptional({
    example: 'web',
    description: "Tier to load (default: the blueprint's benchmark.target)",
  })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  target?: string;

  @ApiPropertyOptional({ enum: ['GET', 'POST', 'PUT', 'HEAD'], default: 'GET' })
  @IsOptional()
  @IsIn(['GET', 'POST', 'PUT', 'HEAD'])
  method?: 'GET' | 'POST' | 'PUT' | 'HEAD';

  @ApiPropertyOptional({ example: '/', description: "Default: the blueprint's benchmark.http.path" })
  @IsOptional()
  @IsString()
  @Matches(/^\/[^\s]{0,2047}$/, { message: 'must be a path starting with /' })
  path?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 65535,
    description: "Default: the target tier's first TCP port",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1024 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1024)
  concurrency?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000000,
    description: 'Requests per run (unless durationSeconds)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  requests?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3600,
    description: 'Seconds per run instead of a request count',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  durationSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 600, default: 2 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  warmupSeconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 120, default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  timeoutSeconds?: number;
}

export class BenchmarkSloDto {
  @ApiPropertyOptional({ example: 200, description: 'p95 latency at most this many milliseconds' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(600_000)
  p95Ms?: number;

  @ApiPropertyOptional({ example: 0.01, description: 'Error rate at most this (0..1)' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  maxErrorRate?: number;
}

export class BenchmarkScheduleRequestDto {
  @ApiProperty({
    minimum: 0.001,
    maximum: 8784,
    example: 168,
    description: 'Hours between the starts of two repeats (168: weekly)',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(8784)
  everyHours!: number;
}

export class CreateBenchmarkDto {
  @ApiProperty({ example: 'three-tier-shop@^1.0', description: 'name@range' })
  @IsString()
  @MaxLength(200)
  blueprint!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { dbPassword: 's3cret!' } })
  @IsOptional()
  @IsObject()
  @MaxKeys(100)
  parameters?: Record<string, unknown>;

  @ApiProperty({ type: [BenchmarkCandidateRequestDto], minItems: 1, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => BenchmarkCandidateRequestDto)
  candidates!: BenchmarkCandidateRequestDto[];

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 5, description: 'Measured runs per candidate' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  runs?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Run the candidates at once (default: one after another)',
  })
  @IsOptional()
  @IsBoolean()
  parallel?: boolean;

  @ApiPropertyOptional({ type: BenchmarkLoadRequestDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BenchmarkLoadRequestDto)
  load?: BenchmarkLoadRequestDto;

  @ApiPropertyOptional({ type: BenchmarkSloDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BenchmarkSloDto)
  slo?: BenchmarkSloDto;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 168,
    default: 6,
    description: "Lease of each candidate's deployment (a backstop)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(168)
  leaseHours?: number;

  @ApiPropertyOptional({
    type: BenchmarkScheduleRequestDto,
    description: 'Repeat this benchmark on a schedule (listed under /benchmark-schedules)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BenchmarkScheduleRequestDto)
  schedule?: BenchmarkScheduleRequestDto;
}

export class BenchmarkListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only benchmarks of this blueprint' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  blueprint?: string;

  @ApiPropertyOptional({ description: 'Only benchmarks with a candidate on this environment' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  environment?: string;
}

export class BenchmarkExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class BenchmarkHistoryQuery {
  @ApiProperty({ description: 'The blueprint' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  blueprint!: string;

  @ApiPropertyOptional({ description: 'Only candidates on this environment' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  environment?: string;
}
