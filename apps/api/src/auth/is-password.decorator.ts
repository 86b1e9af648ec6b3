import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@switchyard/core/crypto';
import { ValidateBy, type ValidationOptions } from 'class-validator';

export const PASSWORD_RULE = `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`;

/** A new password: 12–256 characters (code points, as people count them, not UTF-16 units). */
export function IsPassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPassword',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = [...value.normalize('NFC')].length;
          return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
        },
        defaultMessage: () => PASSWORD_RULE,
      },
    },
    options,
  );
}
