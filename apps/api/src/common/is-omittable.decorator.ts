import { ValidateIf } from 'class-validator';

/**
 * An optional field that may be left out, but not sent as null: unlike IsOptional, null goes
 * through the field's rules (and fails them), so it never reaches code that expects a value.
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
