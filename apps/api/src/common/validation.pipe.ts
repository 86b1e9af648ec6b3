import { Logger, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { AppException, ErrorCode, type ErrorDetail } from './app.exception.js';
import { JSON_LIMITS, jsonShapeException } from './json-limits.js';
import { jsonValueCheck } from './json-value-check.util.js';
import { LINEAR_CLASS_TRANSFORMER } from './linear-class-transformer.js';
import { plainlyValid } from './plainly-valid.util.js';
import { withoutUnknownFields } from './unknown-fields.util.js';

// Enough to fix a request by; a body of 20,000 unknown keys should not answer with 20,000 lines.
const MAX_DETAILS = 100;

/**
 * Global validation: unknown fields refused, types transformed, and every bad field named by
 * its dot path in one answer. Before any transformation, every body, query and path parameter is
 * walked once (depth and size within JSON_LIMITS, no NUL or unpaired surrogate in any key or
 * string), so that what follows costs time linear in the request and never sees text Postgres
 * refuses. A DTO with `plainlyValid` answers for the values it accepts at a glance.
 */
export function createValidationPipe(): ValidationPipe {
  return new CheckedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    transformerPackage: LINEAR_CLASS_TRANSFORMER,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppException.invalid(capDetails(flattenValidationErrors(errors))),
  });
}

class CheckedValidationPipe extends ValidationPipe {
  private readonly log = new Logger('Validation');

  override async transform(value: unknown, meta: ArgumentMetadata): Promise<unknown> {
    // custom decorators give server-side values (the caller) or raw uploads checked where read
    if (meta.type === 'custom') return super.transform(value, meta);
    // what the DTO itself sees is valid (a subset of what the rules below accept, checked by tests)
    const accepted = plainlyValid(meta.metatype, value);
    if (accepted) return accepted;
    const problem = jsonValueCheck(value, JSON_LIMITS, meta.data ?? '');
    if (problem) throw jsonShapeException(problem, JSON_LIMITS);
    const unknown: ErrorDetail[] = [];
    const known = withoutUnknownFields(value, meta.metatype, meta.data ?? '', unknown);
    if (unknown.length === 0) return super.transform(value, meta);
    // the rest is still validated, so that one answer names every bad field
    const others = await super.transform(known, meta).then(
      () => [],
      (err: unknown) => {
        if (err instanceof AppException && err.code === ErrorCode.Invalid) return err.details;
        throw err;
      },
    );
    throw AppException.invalid(capDetails([...unknown, ...others]));
  }

  // A validator that throws on some input (validator.js did on a lone surrogate) is a refusal of
  // that input, not a server error.
  protected override async validate(object: object, options?: object): Promise<ValidationError[]> {
    try {
      return await super.validate(object, options);
    } catch (err) {
      this.log.warn({ err }, 'a validator threw; the input is refused');
      throw AppException.invalid([{ path: '', message: 'could not be validated' }]);
    }
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      details.push({ path, message: rephrase(message, error.property) });
    }
    details.push(...flattenValidationErrors(error.children ?? [], path));
  }
  return details;
}

function capDetails(details: ErrorDetail[]): ErrorDetail[] {
  if (details.length <= MAX_DETAILS) return details;
  return [
    ...details.slice(0, MAX_DETAILS),
    { path: '', message: `and ${details.length - MAX_DETAILS} more problems like these` },
  ];
}

// class-validator repeats the property name at the start of its messages; the path already says it.
function rephrase(message: string, property: string): string {
  if (message === `property ${property} should not exist`) return 'is not a known field';
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
