import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/** `GET /api/v1/fabric/verdict` query: may `from` reach `to` on protocol/port? */
export class VerdictQueryDto {
  @ApiPropertyOptional({ example: 'default', description: "Fabric tenant (default: the token's)" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  tenant?: string;

  @ApiProperty({ example: 'web', description: 'A group name, a network name or an IPv4 address' })
  @IsString()
  @Length(1, 64)
  from!: string;

  @ApiProperty({ example: 'db', description: 'A group name, a network name or an IPv4 address' })
  @IsString()
  @Length(1, 64)
  to!: string;

  @ApiPropertyOptional({ example: 'tcp', description: 'tcp, udp, icmp or a number 0..255; empty: any' })
  @IsOptional()
  @IsString()
  @Matches(/^(tcp|udp|icmp|[0-9]{1,3})?$/, { message: 'must be tcp, udp, icmp or a number 0..255' })
  protocol?: string;

  @ApiPropertyOptional({ example: 5432, minimum: 0, maximum: 65535, description: '0 or absent: any' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  port?: number;
}

export class DecidingRuleDto {
  @ApiProperty({ example: 'db-policy' }) policy!: string;
  @ApiProperty({ example: '1' }) ruleId!: string;
  @ApiProperty({ example: 10, description: 'Effective priority (0 counts as 1)' }) priority!: number;
  @ApiProperty({ enum: ['in', 'out'] }) direction!: 'in' | 'out';
}

export class VerdictDto {
  @ApiProperty({ enum: ['allow', 'deny'] }) action!: 'allow' | 'deny';

  @ApiProperty({
    description: 'The rule that decided, or "default allow" when no rule matched',
    oneOf: [{ $ref: getSchemaPath(DecidingRuleDto) }, { type: 'string', enum: ['default allow'] }],
  })
  decidedBy!: DecidingRuleDto | 'default allow';
}
