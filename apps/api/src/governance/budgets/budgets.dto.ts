import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { MoneyDto } from '../../blueprints/blueprint-plan.dto.js';
import { CURRENCY, CURRENCY_RULE, DECIMAL, DECIMAL_RULE, TenantQuery } from '../governance.dto.js';

export const DEFAULT_THRESHOLDS = [80, 100];

export class PutBudgetDto extends TenantQuery {
  @ApiProperty({ example: '1000.00', description: 'The monthly budget' })
  @Matches(DECIMAL, DECIMAL_RULE)
  amount!: string;

  @ApiProperty({ example: 'USD' }) @Matches(CURRENCY, CURRENCY_RULE) currency!: string;

  @ApiPropertyOptional({
    type: [Number],
    example: DEFAULT_THRESHOLDS,
    default: DEFAULT_THRESHOLDS,
    description: 'Percentages of the budget that raise a `budget.threshold` alert, once a month each',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(1000, { each: true })
  thresholds?: number[];
}

export class BudgetAlertDto {
  @ApiProperty({ example: 80 }) threshold!: number;
  @ApiProperty({
    enum: ['forecast'],
    description: 'forecast: the monthly run rate of what the tenant holds (730 hours at the ordered prices)',
  })
  basis!: string;
  @ApiProperty({ type: MoneyDto, description: 'What the basis amounted to when the alert was raised' })
  spent!: MoneyDto;
  @ApiProperty({ type: MoneyDto }) budget!: MoneyDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class BudgetDto {
  @ApiProperty({ example: 'default' }) tenant!: string;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'The monthly budget; null: none set' })
  budget!: MoneyDto | null;
  @ApiProperty({ type: [Number], example: DEFAULT_THRESHOLDS }) thresholds!: number[];
  @ApiProperty({ format: 'date', example: '2026-12-01', description: 'The month (UTC) the figures are for' })
  month!: string;
  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description:
      "Monthly run rate of what the tenant holds now, in the budget's currency (null without a budget)",
  })
  forecast!: MoneyDto | null;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'Spent this month so far, to the cent' })
  monthToDate!: MoneyDto | null;
  @ApiProperty({ type: Number, nullable: true, example: 42.5, description: 'forecast / budget, in percent' })
  percent!: number | null;
  @ApiProperty({ type: [BudgetAlertDto], description: "This month's alerts, oldest first" })
  alerts!: BudgetAlertDto[];
}

export class SpendReportQuery extends TenantQuery {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00Z' })
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'must be an ISO 8601 date or date-time',
  })
  from!: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-01T00:00:00Z' })
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'must be an ISO 8601 date or date-time',
  })
  to!: string;

  @ApiPropertyOptional({ enum: ['environment', 'blueprint'], default: 'environment' })
  @IsOptional()
  @IsIn(['environment', 'blueprint'], { message: 'must be environment or blueprint' })
  groupBy?: 'environment' | 'blueprint';
}

export class SpendGroupDto {
  @ApiProperty({ example: 'aws-us-east-1', description: 'The environment or blueprint' }) key!: string;
  @ApiProperty({ type: MoneyDto, description: 'Spent within the period, to the cent' }) spent!: MoneyDto;
  @ApiProperty({ example: 2, description: 'Deployments that spent within the period' }) deployments!: number;
}

export class SpendReportDto {
  @ApiProperty({ example: 'default' }) tenant!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: ['environment', 'blueprint'] }) groupBy!: string;
  @ApiProperty({ type: [SpendGroupDto], description: 'By currency, then key' }) items!: SpendGroupDto[];
  @ApiProperty({ type: [MoneyDto], description: 'The total, one per currency' }) total!: MoneyDto[];
  @ApiProperty({ type: String, nullable: true, example: null }) nextCursor!: null;
}
