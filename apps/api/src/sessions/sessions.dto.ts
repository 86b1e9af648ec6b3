import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@switchyard/core/database';
import { IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';

export class SignInDto {
  @ApiPropertyOptional({ example: 'default', default: 'default', description: 'Tenant name' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  tenant?: string;

  @ApiProperty({ example: 'alice', description: 'User name' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  user!: string;

  @ApiProperty({ format: 'password', writeOnly: true, example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    example: 'web session',
    default: 'web session',
    description: 'Name of the token issued, as listed with the tokens (e.g. `cli session`)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;
}

export class NamedRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class SessionDto {
  @ApiProperty({
    example: 'syd_3q2…',
    description: 'A token of the user’s role: shown this once, stored only as a hash. Send it as Bearer.',
  })
  token!: string;
  @ApiProperty({ format: 'uuid', description: 'The token’s id, as listed at /api/v1/tokens' })
  tokenId!: string;
  @ApiProperty({ description: 'When the token stops working (SESSION_TTL_HOURS after sign-in)' })
  expiresAt!: string;
  @ApiProperty({ type: NamedRefDto }) user!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) tenant!: NamedRefDto;
  @ApiProperty({ enum: ROLES }) role!: Role;
}
