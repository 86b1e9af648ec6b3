import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../common/is-omittable.decorator.js';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';
import { PageQuery } from '../common/pagination.js';

/** Money as a decimal string, never a float (api-conventions.md). */
export const DECIMAL = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,10})?$/;
const DECIMAL_RULE = { message: 'must be a decimal string such as "0.0416"' };

export class EnvironmentImageDto {
  @ApiProperty({ example: 'ubuntu' }) @IsString() @Length(1, 64) os!: string;
  @ApiProperty({ example: '22.04' }) @IsString() @Length(1, 64) version!: string;
  @ApiProperty({ example: 'ami-0abcdef1234567890', description: 'AMI, Glance image or vSphere template' })
  @IsString()
  @Length(1, 255)
  imageId!: string;
}

export class PricedInstanceTypeDto {
  @ApiProperty({ example: 't3.micro' }) @IsString() @Length(1, 64) name!: string;
  @ApiProperty({ example: 2 }) @IsInt() @Min(1) @Max(4096) cpu!: number;
  @ApiProperty({ example: 1024 }) @IsInt() @Min(1) @Max(67_108_864) memoryMiB!: number;

  @ApiPropertyOptional({
    example: '0.0104',
    description: 'Per hour; may be left out when a rate card prices it',
  })
  @IsOptional()
  @Matches(DECIMAL, DECIMAL_RULE)
  hourlyPrice?: string;
}

export class RateCardDto {
  @ApiProperty({ example: '0.0150' }) @Matches(DECIMAL, DECIMAL_RULE) vcpuHour!: string;
  @ApiProperty({ example: '0.0040' }) @Matches(DECIMAL, DECIMAL_RULE) gibRamHour!: string;
  @ApiProperty({ example: '0.05' }) @Matches(DECIMAL, DECIMAL_RULE) gibDiskMonth!: string;
}

export class PriceListDto {
  @ApiProperty({ example: 'USD' })
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiPropertyOptional({ example: 'internal rate card 2025' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;

  @ApiPropertyOptional({ example: '2025-06-01', description: 'When the prices were taken' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ type: [PricedInstanceTypeDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PricedInstanceTypeDto)
  instanceTypes?: PricedInstanceTypeDto[];

  @ApiPropertyOptional({ type: RateCardDto, description: 'Prices any size (private clouds)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateCardDto)
  rateCard?: RateCardDto;

  @ApiPropertyOptional({ example: '0.08', description: 'Per GiB and month' })
  @IsOptional()
  @Matches(DECIMAL, DECIMAL_RULE)
  storageGiBMonthPrice?: string;
}

export class CreateEnvironmentDto {
  @ApiProperty({ example: 'aws-eu-west-1' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({ example: 'AWS Ireland' }) @IsOptional() @IsString() @MaxLength(200) title?: string;

  @ApiProperty({ format: 'uuid', description: 'The cloud account (of the same tenant)' })
  @IsUUID()
  account!: string;

  @ApiPropertyOptional({ example: 'eu-west-1', description: "Default: the account's region" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  region?: string;

  @ApiPropertyOptional({
    description:
      'aws-ec2: vpcId, subnetId, availabilityZone; openstack: externalNetwork, availabilityZone; ' +
      'vsphere: datacenter, cluster, folder, datastore, switchName; linux-host: none but addressPool; ' +
      'every provider: addressPool',
    example: { vpcId: 'vpc-0123' },
  })
  @IsOptional()
  @IsObject()
  placement?: Record<string, string>;

  @ApiProperty({ type: [EnvironmentImageDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => EnvironmentImageDto)
  images!: EnvironmentImageDto[];

  @ApiPropertyOptional({
    type: PriceListDto,
    description: 'Default for AWS: the shipped dated price table of the region',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PriceListDto)
  priceList?: PriceListDto;

  @ApiPropertyOptional({ description: 'Usable by every tenant (admins only)' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

// A change: each field left out stays as it is; null is refused (no field here can be cleared).
export class UpdateEnvironmentDto {
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(64) region?: string;
  @ApiPropertyOptional() @IsOmittable() @IsObject() placement?: Record<string, string>;

  @ApiPropertyOptional({ type: [EnvironmentImageDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => EnvironmentImageDto)
  images?: EnvironmentImageDto[];

  @ApiPropertyOptional({ type: PriceListDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => PriceListDto)
  priceList?: PriceListDto;

  @ApiPropertyOptional() @IsOmittable() @IsBoolean() shared?: boolean;
}

export class EnvironmentQuery extends PageQuery {}

export class EnvironmentAccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class EnvironmentDto {
  @ApiProperty({ example: 'aws-eu-west-1' }) name!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() shared!: boolean;
  @ApiProperty({ enum: ['aws-ec2', 'openstack', 'vsphere', 'linux-host'] }) provider!: string;
  @ApiProperty({ description: 'The account is a simulator (moto, vcsim)' }) simulated!: boolean;
  @ApiProperty({ type: EnvironmentAccountDto }) account!: EnvironmentAccountDto;
  @ApiProperty() region!: string;
  @ApiProperty({ type: Object }) placement!: Record<string, string>;
  @ApiProperty({ type: [EnvironmentImageDto] }) images!: EnvironmentImageDto[];
  @ApiProperty({ type: PriceListDto }) priceList!: PriceListDto & { source: string; date: string };
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class EnvironmentCatalogResponseDto {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['aws', 'openstack', 'vsphere', 'linux-host'] }) provider!: string;
  @ApiPropertyOptional() region?: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ type: [PricedInstanceTypeDto] }) instanceTypes!: PricedInstanceTypeDto[];
  @ApiProperty({ type: [EnvironmentImageDto] }) images!: EnvironmentImageDto[];
  @ApiPropertyOptional() storageGiBMonthPrice?: string;
}
