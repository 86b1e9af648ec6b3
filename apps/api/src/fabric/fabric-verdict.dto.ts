import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

// What VerdictQueryDto.plainlyValid accepts: each a strict subset of what the field's rules accept.
const PLAIN_NAME = /^[\x21-\x7e]{1,64}$/;
const PLAIN_PROTOCOL = /^(tcp|udp|icmp|[0-9]{1,3})?$/;
const PLAIN_PORT = /^[0-9]{1,5}$/;
const FIELDS: ReadonlySet<string> = new Set(['tenant', 'from', 'to', 'protocol', 'port']);

/** `GET /api/v1/fabric/verdict` query: may `from` reach `to` on protocol/port? */
export class VerdictQueryDto {
  /**
   * The query as the validation pipe makes it, without class-validator, when every field is
   * plainly valid (names of printable ASCII, a port of digits); anything else is left to the rules
   * below, which name every bad field. The verdict is a hot read: the rules cost more than it.
   */
  static plainlyValid(value: unknown): VerdictQueryDto | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const query = value as Record<string, unknown>;
    for (const key of Object.keys(query)) if (!FIELDS.has(key)) return undefined;
    const { tenant, from, to, protocol, port } = query;
    if (typeof from !== 'string' || !PLAIN_NAME.test(from)) return undefined;
    if (typeof to !== 'string' || !PLAIN_NAME.test(to)) return undefined;
    const dto = new VerdictQueryDto();
    dto.from = from;
    dto.to = to;
    if (tenant !== undefined) {
      if (typeof tenant !== 'string' || !PLAIN_NAME.test(tenant)) return undefined;
      dto.tenant = tenant;
    }
    if (protocol !== undefined) {
      if (typeof protocol !== 'string' || !PLAIN_PROTOCOL.test(protocol)) return undefined;
      dto.protocol = protocol;
    }
    if (port !== undefined) {
      if (typeof port !== 'string' || !PLAIN_PORT.test(port) || Number(port) > 65535) return undefined;
      dto.port = Number(port);
    }
    return dto;
  }

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
