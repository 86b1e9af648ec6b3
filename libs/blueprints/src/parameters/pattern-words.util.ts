import { compilePattern } from './pattern.util.js';

// Formats a pattern can ask for, told by what it takes and refuses, never by its text.
const FORMATS: {
  takes: (example?: string) => string[];
  refuses: string[];
  words: (example?: string) => string;
}[] = [
  {
    takes: () => ['name@example.com'],
    refuses: ['name', 'name@'],
    words: () => 'an email address such as name@example.com',
  },
  {
    takes: (example) => [example ?? '1.2.3'],
    refuses: ['x', '1', '1.x.2'],
    words: (example) => `a version number such as ${example ?? '1.2.3'}`,
  },
];

/**
 * A pattern's format in words ("an email address such as name@example.com"), for people who
 * do not read regular expressions; undefined when the pattern is none of the known formats.
 * `example` (the default) is quoted when it is a version number.
 */
export function patternInWords(pattern: string, example?: string): string | undefined {
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return undefined;
  const version = example !== undefined && /^\d+(\.\d+)+$/.test(example) ? example : undefined;
  const format = FORMATS.find(
    (f) =>
      f.takes(version).every((s) => compiled.regex.test(s)) &&
      f.refuses.every((s) => !compiled.regex.test(s)),
  );
  return format?.words(version);
}
