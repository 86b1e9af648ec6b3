import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@switchyard/core/database';
import { NamedRefDto } from '../sessions/sessions.dto.js';

/** Who a token belongs to (GET /api/v1/me). */
export class MeDto {
  @ApiProperty({ type: NamedRefDto }) user!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) tenant!: NamedRefDto;
  @ApiProperty({ enum: ROLES, description: "The token's role (never above its user's)" }) role!: Role;
  @ApiProperty({ format: 'uuid', description: 'The token that made the call' }) tokenId!: string;
}
