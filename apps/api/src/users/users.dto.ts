import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@switchyard/core/database';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsPassword, PASSWORD_RULE } from '../auth/is-password.decorator.js';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';

const PASSWORD = `Write-only: never returned, stored as a salted scrypt hash; ${PASSWORD_RULE}.`;

export class CreateUserDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: "Tenant name (admins only; default: the caller's tenant)" })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  tenant?: string;

  @ApiPropertyOptional({
    format: 'password',
    writeOnly: true,
    example: 'correct horse battery staple',
    description: `${PASSWORD} Without one, the user signs in with tokens only.`,
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsPassword()
  password?: string;
}

/** Every field is optional; what is left out stays as it is. */
export class UpdateUserDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'alice@example.com',
    description: 'null clears it',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @ApiPropertyOptional({
    enum: ROLES,
    description: "Never above the caller's; not one's own. The user's tokens above it are lowered to it.",
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    format: 'password',
    writeOnly: true,
    example: 'correct horse battery staple',
    description: `${PASSWORD} Ends the user's sign-in sessions and lifts a sign-in lock. Not for oneself: POST /api/v1/me/password.`,
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsPassword()
  password?: string;
}

export class ChangeOwnPasswordDto {
  @ApiPropertyOptional({
    format: 'password',
    writeOnly: true,
    description: 'Required when you have a password (not when setting a first one)',
  })
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @MaxLength(1024)
  currentPassword?: string;

  @ApiProperty({
    format: 'password',
    writeOnly: true,
    example: 'correct horse battery staple',
    description: PASSWORD,
  })
  @IsPassword()
  newPassword!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() tenant!: string;
  @ApiProperty({ description: 'Whether the user can sign in with a password (the password is never shown)' })
  hasPassword!: boolean;
  @ApiProperty() createdAt!: string;
}
