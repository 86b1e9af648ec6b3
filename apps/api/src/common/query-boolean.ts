import { Transform } from 'class-transformer';

/** A `?flag=true|false` query value as a boolean; anything else stays as sent, for IsBoolean to refuse. */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
