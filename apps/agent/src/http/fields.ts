import { AgentError, type FieldProblem } from './agent-error.js';

/** Collects bad fields of one body, so a 400 names every one of them at once. */
export class FieldChecker {
  readonly problems: FieldProblem[] = [];

  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** `value` as a string matching `pattern` (and at most `max` long), or undefined after recording why not. */
  string(
    path: string,
    value: unknown,
    options: { pattern?: RegExp; max: number; rule?: string; optional?: boolean },
  ) {
    if (value === undefined && options.optional) return undefined;
    if (typeof value !== 'string') return this.fail(path, 'must be a string');
    if (value.length === 0 || value.length > options.max)
      return this.fail(path, `must be 1-${options.max} characters`);
    if (options.pattern && !options.pattern.test(value))
      return this.fail(path, options.rule ?? 'has a bad format');
    return value;
  }

  integer(path: string, value: unknown, min: number, max: number): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(path, `must be an integer in ${min}-${max}`);
    }
    return value;
  }

  object(path: string, value: unknown): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.fail(path, 'must be an object');
    return value as Record<string, unknown>;
  }

  /** Names the fields of `body` that are not in `known`. */
  noOthers(prefix: string, body: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(body)) {
      if (!known.includes(key)) this.add(prefix ? `${prefix}.${key}` : key, 'is not a known field');
    }
  }

  /** Throws the 400 when anything was recorded. */
  done(): void {
    if (this.problems.length > 0) throw AgentError.invalid(this.problems);
  }

  private fail(path: string, message: string): undefined {
    this.add(path, message);
    return undefined;
  }
}
