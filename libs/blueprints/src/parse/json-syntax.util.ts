// Finds where JSON text stops being valid. V8's JSON.parse messages do not always
// carry a position, and people need line:column, so this small scanner provides it.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

const MAX_DEPTH = 256;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

class Fail extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    scanner.value(0);
    scanner.skipSpace();
    if (scanner.pos < text.length) throw new Fail(scanner.pos, 'unexpected text after the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof Fail) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class Scanner {
  pos = 0;

  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text.charAt(this.pos))) this.pos++;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) throw new Fail(this.pos, 'nested too deeply');
    const c = this.text.charAt(this.pos);
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    NUMBER.lastIndex = this.pos;
    if (NUMBER.exec(this.text) !== null) {
      this.pos = NUMBER.lastIndex;
      return;
    }
    throw this.unexpected('a value');
  }

  private object(depth: number): void {
    this.pos++;
    this.skipSpace();
    if (this.text.charAt(this.pos) === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text.charAt(this.pos) !== '"') throw this.unexpected('a property name in double quotes');
      this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      this.value(depth + 1);
      this.skipSpace();
      if (this.text.charAt(this.pos) === '}') {
        this.pos++;
        return;
      }
      this.expect(',', "',' or '}'");
      this.skipSpace();
    }
  }

  private array(depth: number): void {
    this.pos++;
    this.skipSpace();
    if (this.text.charAt(this.pos) === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.skipSpace();
      if (this.text.charAt(this.pos) === ']') {
        this.pos++;
        return;
      }
      this.expect(',', "',' or ']'");
      this.skipSpace();
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) throw new Fail(this.pos, 'control character inside a string (use an escape such as \\n)');
      if (c === 0x5c) {
        const next = this.text.charAt(this.pos + 1);
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            throw new Fail(this.pos, 'invalid \\u escape');
          }
          this.pos += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next) || next === '') throw new Fail(this.pos, 'invalid escape');
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    throw new Fail(start, 'string is not closed');
  }

  private expect(char: string, what = `'${char}'`): void {
    if (this.text.charAt(this.pos) !== char) throw this.unexpected(what);
    this.pos++;
  }

  private unexpected(expected: string): Fail {
    if (this.pos >= this.text.length)
      return new Fail(this.pos, `unexpected end of input, expected ${expected}`);
    return new Fail(
      this.pos,
      `unexpected ${JSON.stringify(this.text.charAt(this.pos))}, expected ${expected}`,
    );
  }
}
