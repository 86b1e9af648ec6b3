import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BENCHMARK_STATES, CANDIDATE_STATES, CANDIDATE_STEPS } from '@switchyard/core/benchmarks';
import { MoneyDto } from '../blueprints/blueprint-plan.dto.js';

export class IntervalDto {
  @ApiProperty() low!: number;
  @ApiProperty() high!: number;
}

export class ThroughputDto {
  @ApiProperty({ description: 'Runs measured' }) n!: number;
  @ApiProperty({ description: 'req/s' }) mean!: number;
  @ApiProperty({ description: 'req/s' }) median!: number;
  @ApiProperty() stdDev!: number;
  @ApiProperty({ type: Number, nullable: true }) coefficientOfVariation!: number | null;
  @ApiProperty({ type: IntervalDto, nullable: true, description: "The mean's 95% interval (Student's t)" })
  interval!: IntervalDto | null;
  @ApiProperty({ example: 0.95 }) confidence!: number;
}

export class LatencyDto {
  @ApiProperty({ description: 'ms' }) p50!: number;
  @ApiProperty({ description: 'ms' }) p95!: number;
  @ApiProperty({ description: 'ms' }) p99!: number;
}

export class PerDollarHourDto {
  @ApiProperty({ description: 'req/s per currency unit per hour' }) mean!: number;
  @ApiProperty({ type: IntervalDto, nullable: true }) interval!: IntervalDto | null;
}

export class CandidateResultDto {
  @ApiProperty({ type: ThroughputDto }) throughput!: ThroughputDto;
  @ApiProperty({ type: LatencyDto, description: "Median over runs of each run's percentile" })
  latencyMs!: LatencyDto;
  @ApiProperty({ description: 'Errors over every request of every run' }) errorRate!: number;
  @ApiProperty({ type: PerDollarHourDto }) perDollarHour!: PerDollarHourDto;
  @ApiProperty({ description: 'Cost of a million requests at the mean throughput' })
  perMillionRequests!: number;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null without an SLO' }) sloMet!: boolean | null;
}

export class RunDto {
  @ApiProperty() run!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() requests!: number;
  @ApiProperty({ description: 'req/s' }) throughput!: number;
  @ApiProperty() errors!: number;
  @ApiProperty() errorRate!: number;
  @ApiProperty({ type: LatencyDto }) latencyMs!: LatencyDto;
}

export class CandidateCostDto {
  @ApiProperty({ type: MoneyDto }) hourly!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) monthly!: MoneyDto;
}

export class BenchmarkCandidateDto {
  @ApiProperty({ description: '0-based' }) position!: number;
  @ApiProperty() label!: string;
  @ApiProperty({
    type: 'object',
    properties: {
      default: { type: 'string' },
      tiers: { type: 'object', additionalProperties: { type: 'string' } },
    },
  })
  placement!: { default: string; tiers?: Record<string, string> };
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) instanceTypes!: Record<
    string,
    string
  >;
  @ApiProperty({ type: [String] }) environments!: string[];
  @ApiProperty({ enum: CANDIDATE_STATES }) state!: (typeof CANDIDATE_STATES)[number];
  @ApiProperty({ enum: CANDIDATE_STEPS, nullable: true }) step!: (typeof CANDIDATE_STEPS)[number] | null;
  @ApiProperty({ description: 'Runs measured so far' }) runsDone!: number;
  @ApiProperty({ format: 'uuid' }) deploymentId!: string;
  @ApiProperty({ type: CandidateCostDto, description: "The planner's cost for the sizes used" })
  cost!: CandidateCostDto;
  @ApiProperty({ type: CandidateResultDto, nullable: true }) result!: CandidateResultDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is not measurable, failed or cancelled' })
  reason!: string | null;
  @ApiProperty({ type: [RunDto] }) runs!: RunDto[];
}

export class RankingEntryDto {
  @ApiProperty() candidate!: number;
  @ApiProperty() label!: string;
  @ApiProperty({ type: Boolean, nullable: true, description: "false: the runner-up's interval overlaps" })
  significant!: boolean | null;
  @ApiPropertyOptional() runnerUp?: number;
  @ApiProperty() note!: string;
}

export class BenchmarkRankingDto {
  @ApiProperty({ type: RankingEntryDto, nullable: true }) bestValue!: RankingEntryDto | null;
  @ApiProperty({ type: RankingEntryDto, nullable: true }) fastest!: RankingEntryDto | null;
  @ApiProperty({ type: RankingEntryDto, nullable: true }) cheapestMeetingSlo!: RankingEntryDto | null;
  @ApiProperty({ type: [String] }) notes!: string[];
}

export class LeftDeploymentDto {
  @ApiProperty() candidate!: number;
  @ApiProperty({ format: 'uuid' }) deploymentId!: string;
  @ApiProperty() message!: string;
}

export class BenchmarkLoadDto {
  @ApiProperty() target!: string;
  @ApiProperty({ enum: ['GET', 'POST', 'PUT', 'HEAD'] }) method!: string;
  @ApiProperty() path!: string;
  @ApiProperty() port!: number;
  @ApiProperty() concurrency!: number;
  @ApiProperty() requests!: number;
  @ApiPropertyOptional() durationSeconds?: number;
  @ApiProperty() warmupSeconds!: number;
  @ApiProperty() timeoutSeconds!: number;
}

export class BenchmarkSloViewDto {
  @ApiPropertyOptional() p95Ms?: number;
  @ApiPropertyOptional() maxErrorRate?: number;
}

export class BenchmarkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'three-tier-shop@1.2.0' }) blueprint!: string;
  @ApiProperty({ enum: BENCHMARK_STATES }) state!: (typeof BENCHMARK_STATES)[number];
  @ApiProperty() runs!: number;
  @ApiProperty() parallel!: boolean;
  @ApiProperty({ type: BenchmarkLoadDto }) load!: BenchmarkLoadDto;
  @ApiProperty({ type: BenchmarkSloViewDto }) slo!: BenchmarkSloViewDto;
  @ApiProperty({ type: [BenchmarkCandidateDto] }) candidates!: BenchmarkCandidateDto[];
  @ApiProperty({ type: BenchmarkRankingDto, nullable: true }) ranking!: BenchmarkRankingDto | null;
  @ApiProperty({
    type: [LeftDeploymentDto],
    description: 'Candidate deployments a teardown could not remove',
  })
  leftBehind!: LeftDeploymentDto[];
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The schedule that made it' })
  scheduleId!: string | null;
}

export class BenchmarkPageDto {
  @ApiProperty({ type: [BenchmarkDto] }) items!: BenchmarkDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last',
  })
  nextCursor!: string | null;
}

/** One sample as PerfKitBenchmarker writes it. */
export class BenchmarkSampleDto {
  @ApiProperty({ example: 'throughput' }) metric!: string;
  @ApiProperty() value!: number;
  @ApiProperty({ example: 'requests/s' }) unit!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
  @ApiProperty({ description: 'Unix time in seconds' }) timestamp!: number;
}

export class BenchmarkHistoryPointDto {
  @ApiProperty({ format: 'uuid' }) benchmarkId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ type: [String] }) environments!: string[];
  @ApiProperty({ type: ThroughputDto }) throughput!: ThroughputDto;
  @ApiProperty({ type: MoneyDto }) hourly!: MoneyDto;
  @ApiProperty({ type: PerDollarHourDto }) perDollarHour!: PerDollarHourDto;
}

export class BenchmarkHistoryDto {
  @ApiProperty({ type: [BenchmarkHistoryPointDto] }) items!: BenchmarkHistoryPointDto[];
}

export class BenchmarkScheduleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'three-tier-shop@1.2.0' }) blueprint!: string;
  @ApiProperty({ example: 168 }) everyHours!: number;
  @ApiProperty({ example: '2026-12-13T04:00:00.000Z', description: 'When the next repeat starts' })
  nextRunAt!: string;
  @ApiProperty({
    type: [String],
    description: 'Benchmarks the schedule made, oldest first (the first is the one that created it)',
  })
  benchmarks!: string[];
  @ApiProperty() createdAt!: string;
}

export class BenchmarkSchedulePageDto {
  @ApiProperty({ type: [BenchmarkScheduleDto] }) items!: BenchmarkScheduleDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
