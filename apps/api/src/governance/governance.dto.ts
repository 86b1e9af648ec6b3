import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';

/** `?tenant=`: the tenant a governance call is about (admins: any; others: their own). */
export class TenantQuery {
  @ApiPropertyOptional({
    example: 'team-a',
    description: "The tenant (admins may name any; others only their own); default: the caller's",
  })
  @IsOptional()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  tenant?: string;
}

/** Money as a decimal string, never a float (api-conventions.md). */
export const DECIMAL = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,10})?$/;
export const DECIMAL_RULE = { message: 'must be a decimal string such as "1250.00"' };
export const CURRENCY = /^[A-Z]{3}$/;
export const CURRENCY_RULE = { message: 'must be an ISO 4217 code such as USD' };
