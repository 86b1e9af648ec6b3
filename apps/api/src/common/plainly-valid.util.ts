/**
 * A DTO class may answer, without class-transformer or class-validator, for the values it can see
 * at a glance are valid: `static plainlyValid(value)` returns the DTO as the validation pipe would
 * make it, or undefined for anything else, which then takes the pipe's general path (so every
 * refusal keeps its answer). For a hot read whose query has a few short fields, class-validator
 * and class-transformer were most of what the pipe cost.
 */
export interface PlainlyValidDto {
  plainlyValid(value: unknown): object | undefined;
}

/** The DTO from its class's `plainlyValid`, or undefined when it has none or did not accept. */
export function plainlyValid(metatype: unknown, value: unknown): object | undefined {
  const check = (metatype as Partial<PlainlyValidDto> | undefined)?.plainlyValid;
  return typeof check === 'function' ? check.call(metatype, value) : undefined;
}
