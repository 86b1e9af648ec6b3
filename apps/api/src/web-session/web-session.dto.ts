import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@switchyard/core/database';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NamedRefDto } from '../sessions/sessions.dto.js';

export class WebTokenSignInDto {
  @ApiProperty({
    format: 'password',
    writeOnly: true,
    example: 'syd_3q2…',
    description: 'An API token, pasted by a person; the browser keeps it only in the HttpOnly cookie',
  })
  @IsString()
  @IsNotEmpty({ message: 'must not be empty' })
  @MaxLength(200)
  token!: string;
}

export const WEB_SESSION_KINDS = ['session', 'api'] as const;
export type WebSessionKind = (typeof WEB_SESSION_KINDS)[number];

/** The web session as the web app sees it: never the token itself. */
export class WebSessionDto {
  @ApiProperty({ type: NamedRefDto }) user!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) tenant!: NamedRefDto;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({
    format: 'uuid',
    description: 'The id of the token in the cookie, as listed at /api/v1/tokens',
  })
  tokenId!: string;
  @ApiProperty({
    enum: WEB_SESSION_KINDS,
    description:
      '`session`: issued by a password sign-in, revoked at sign-out; `api`: a pasted API token, only forgotten at sign-out',
  })
  kind!: WebSessionKind;
  @ApiProperty({ description: 'When the browser forgets the cookie (the token may end sooner if revoked)' })
  expiresAt!: string;
}
