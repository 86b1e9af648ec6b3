import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';

export class CreateTenantDto {
  @ApiProperty({ example: 'payments' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({ example: 'Payments team' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'payments' }) name!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
