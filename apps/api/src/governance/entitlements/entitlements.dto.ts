import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, ValidateIf } from 'class-validator';
import { NAME_OR_PATTERN, NAME_OR_PATTERN_RULE } from './name-pattern.util.js';

export class SetEntitlementsDto {
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['three-tier-shop', 'wordpress*'],
    description: 'Blueprints the tenant may see and order, by name or * pattern; null: all',
  })
  @ValidateIf((_, v) => v !== null)
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(NAME_OR_PATTERN, { each: true, message: NAME_OR_PATTERN_RULE })
  blueprints!: string[] | null;

  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['aws-*'],
    description: 'Environments the tenant may see and place on, by name or * pattern; null: all',
  })
  @ValidateIf((_, v) => v !== null)
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(NAME_OR_PATTERN, { each: true, message: NAME_OR_PATTERN_RULE })
  environments!: string[] | null;
}

export class EntitlementsDto {
  @ApiProperty({ example: 'team-a' }) tenant!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'null: every blueprint' })
  blueprints!: string[] | null;
  @ApiProperty({ type: [String], nullable: true, description: 'null: every environment' })
  environments!: string[] | null;
  @ApiProperty({ type: String, nullable: true, description: 'null: never set' }) updatedAt!: string | null;
}
