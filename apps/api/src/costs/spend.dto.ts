import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { CostEstimateDto, MoneyDto, PROVIDERS } from '../blueprints/blueprint-plan.dto.js';
import { QueryBoolean } from '../common/query-boolean.js';

export class SpendQuery {
  @ApiPropertyOptional({
    description: 'Only the deployments the caller’s user ordered (as the deployments list’s `mine`)',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  @QueryBoolean()
  mine?: boolean;
}

export class SpendEnvironmentDto {
  @ApiProperty({ example: 'aws-us-east-1' }) environment!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: string;
  @ApiProperty({ example: 3, description: 'Instances billed now' }) instances!: number;
  @ApiProperty({ type: CostEstimateDto, description: 'What those instances bill now' })
  runRate!: CostEstimateDto;
  @ApiProperty({ type: MoneyDto, description: 'Spent here this calendar month (UTC), to the cent' })
  monthToDate!: MoneyDto;
}

export class CurrencySpendDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({
    type: CostEstimateDto,
    description:
      'What the instances billed now cost per hour, and per month of 730 hours if they keep running: ' +
      'compute and disk for running instances, disk alone for stopped ones, nothing for ended ones',
  })
  runRate!: CostEstimateDto;
  @ApiProperty({ type: MoneyDto, description: 'Spent this calendar month (UTC) so far, to the cent' })
  monthToDate!: MoneyDto;
  @ApiProperty({
    type: MoneyDto,
    description: 'This month to date plus the hourly run rate for the hours left in the month',
  })
  monthForecast!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'Spent since the first instance, to the cent' })
  total!: MoneyDto;
  @ApiProperty({ example: 2, description: 'Deployments with an instance billed now' })
  deployments!: number;
  @ApiProperty({ example: 7, description: 'Instances billed now' }) instances!: number;
  @ApiProperty({ type: [SpendEnvironmentDto], description: 'Per environment, by name' })
  byEnvironment!: SpendEnvironmentDto[];
}

export class SpendDto {
  @ApiProperty({ format: 'date-time', description: 'When this was computed' }) asOf!: string;
  @ApiProperty({ format: 'date-time', description: 'Start of the month to date (UTC)' })
  monthStart!: string;
  @ApiProperty({
    type: [CurrencySpendDto],
    description:
      'One per currency of the price lists in use (amounts in different currencies are never added); empty before the first instance',
  })
  currencies!: CurrencySpendDto[];
}
