import { describe, expect, it } from '@jest/globals';
import { resolveParameters } from './resolve-parameters.util.js';
import { patternInWords } from './pattern-words.util.js';

describe('patternInWords', () => {
  it("names the demo catalog's formats in words, quoting a version default", () => {
    expect(patternInWords('^[^@\\s]+@[^@\\s]+$')).toBe('an email address such as name@example.com');
    expect(patternInWords('^[0-9]+\\.[0-9]+\\.[0-9]+$', '3.4.1')).toBe('a version number such as 3.4.1');
    expect(patternInWords('^2\\.[0-9]+\\.[0-9]+$', '2.9.3')).toBe('a version number such as 2.9.3');
  });

  it('knows no words for other patterns, nor for ones it cannot compile', () => {
    expect(patternInWords('^[a-z]+$')).toBeUndefined();
    expect(patternInWords('^(a+)+$')).toBeUndefined();
    expect(patternInWords('^[0-9]+$', '7')).toBeUndefined();
  });

  it("words a value's problem when the format is known, and gives the expression when it is not", () => {
    const { problems } = resolveParameters(
      {
        parameters: {
          adminEmail: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
          slug: { type: 'string', pattern: '^[a-z]+$' },
        },
      },
      { adminEmail: 'nobody', slug: 'Nope' },
    );
    expect(problems).toEqual([
      { path: 'parameters.adminEmail', message: 'must be an email address such as name@example.com' },
      { path: 'parameters.slug', message: 'must match ^[a-z]+$' },
    ]);
  });
});
