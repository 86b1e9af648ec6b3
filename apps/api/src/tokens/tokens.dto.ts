import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, TOKEN_KINDS, type Role, type TokenKind } from '@switchyard/core/database';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class CreateTokenDto {
  @ApiProperty({ example: 'ci-pipeline' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ enum: ROLES, description: "Default: the user's role; never more than the caller's" })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Owner (default: the caller). Members: only themselves; operators: users of their tenant at or ' +
      'below their role; admins: anyone. Never a user above the calling token’s role (403).',
  })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Default: never expires' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

export class TokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({
    enum: TOKEN_KINDS,
    description: 'api: made with POST /api/v1/tokens; session: issued by a password sign-in',
  })
  kind!: TokenKind;
  @ApiProperty({
    description:
      'Made for its user by someone else who is not an admin (or from such a token): it acts for the ' +
      'user but cannot set the user’s first password',
  })
  delegated!: boolean;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ example: 'syd_AbCd', description: 'The first characters, to recognise it' }) hint!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastUsedAt!: string | null;
}

export class CreatedTokenDto extends TokenDto {
  @ApiProperty({ description: 'The token itself: shown this once, stored only as a hash' }) token!: string;
}
