import { ValidateBy } from 'class-validator';

/**
 * An object of at most `max` keys. For free-form maps (order parameters, tier placement) whose
 * legitimate size is small, so that a body of 20,000 of them is refused before it is hashed or
 * looked at key by key.
 */
export const MaxKeys = (max: number) =>
  ValidateBy({
    name: 'maxKeys',
    constraints: [max],
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'object' || value === null || Object.keys(value).length <= max,
      defaultMessage: () => `must have at most ${max} keys`,
    },
  });
