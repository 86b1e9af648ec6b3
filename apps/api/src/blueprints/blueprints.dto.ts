import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { MoneyDto } from './blueprint-plan.dto.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const LABEL_RULE = 'must be a DNS label (lowercase letters, digits and -)';
export const BLUEPRINT_KINDS = ['Blueprint', 'Service'] as const;
export const VERSION_STATES = ['draft', 'published', 'deprecated'] as const;

/** `GET /api/v1/blueprints` filters, on top of `limit` and `cursor`. */
export class BlueprintListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Text in the name, title or description', example: 'postgres' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ example: 'database' })
  @IsOptional()
  @Matches(LABEL, { message: LABEL_RULE })
  category?: string;

  @ApiPropertyOptional({ example: 'demo' })
  @IsOptional()
  @Matches(LABEL, { message: LABEL_RULE })
  tag?: string;

  @ApiPropertyOptional({ example: 'platform-team' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  owner?: string;

  @ApiPropertyOptional({ enum: BLUEPRINT_KINDS })
  @IsOptional()
  @IsIn(BLUEPRINT_KINDS)
  kind?: (typeof BLUEPRINT_KINDS)[number];
}

export class BlueprintVersionDto {
  @ApiProperty({ example: 'three-tier-shop' }) name!: string;
  @ApiProperty({ example: '1.2.0' }) version!: string;
  @ApiProperty({ enum: BLUEPRINT_KINDS }) kind!: string;
  @ApiProperty({ enum: VERSION_STATES, example: 'published' }) state!: string;
  @ApiProperty({ enum: ['yaml', 'json'], description: 'How the text was pushed' }) contentType!: string;
  @ApiProperty({ description: 'SHA-256 of the pushed text, hex', example: 'ab12…' }) sha256!: string;
  @ApiProperty({ example: '2025-11-27T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2025-11-27T10:00:00.000Z' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) publishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) deprecatedAt!: string | null;
}

export class BlueprintSummaryDto {
  @ApiProperty({ example: 'three-tier-shop' }) name!: string;
  @ApiProperty({ enum: BLUEPRINT_KINDS }) kind!: string;
  @ApiProperty({ example: 'Three-tier web shop' }) title!: string;
  @ApiProperty({ example: 'nginx front end, Node.js app servers, PostgreSQL' }) description!: string;
  @ApiProperty({ type: String, nullable: true, example: 'web' }) category!: string | null;
  @ApiProperty({ type: [String], example: ['demo', 'web'] }) tags!: string[];
  @ApiProperty({ example: 'platform-team', description: 'metadata.owner, else who pushed first' })
  owner!: string;
  @ApiProperty({ description: "From the shared demo catalog (tenant default), not the caller's tenant" })
  shared!: boolean;
  @ApiProperty({ type: String, nullable: true, example: '1.2.0', description: 'Highest published version' })
  latestVersion!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class BlueprintDetailDto extends BlueprintSummaryDto {
  @ApiProperty({ type: [BlueprintVersionDto], description: 'Newest version first (semver order)' })
  versions!: BlueprintVersionDto[];
}

export class BlueprintFromPriceDto {
  @ApiProperty({ type: MoneyDto, description: 'Per month of 730 hours' }) monthly!: MoneyDto;
  @ApiProperty({ example: 'aws-us-east-1', description: 'Where it is that cheap' }) environment!: string;
}

export class BlueprintListItemDto extends BlueprintSummaryDto {
  @ApiProperty({
    type: BlueprintFromPriceDto,
    nullable: true,
    description:
      'The least monthly estimate of the latest published version with default parameters, all tiers on ' +
      'one environment the caller may use; null for services, unpublished blueprints, or when none can plan it',
  })
  from!: BlueprintFromPriceDto | null;
}

export class BlueprintPageDto {
  @ApiProperty({ type: [BlueprintListItemDto] }) items!: BlueprintListItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

/** Example body of a push, in YAML (the JSON form has the same fields). */
export const BLUEPRINT_EXAMPLE_YAML = `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata:
  name: hello-web
  version: 1.0.0
  title: Hello web
tiers:
  web:
    size: { cpu: 1, memoryMiB: 1024 }
    image: { os: ubuntu, version: '22.04' }
    ports: [80/tcp]
connections:
  - { from: internet, to: web, ports: [80/tcp] }
`;

/** A pushed blueprint: YAML text, or the same fields as a JSON object (one schema serves every media type). */
export const BLUEPRINT_BODY_SCHEMA = {
  anyOf: [
    { type: 'string', description: 'YAML (application/yaml)' },
    { type: 'object', description: 'JSON (application/json)', additionalProperties: true },
  ],
  example: BLUEPRINT_EXAMPLE_YAML,
};
