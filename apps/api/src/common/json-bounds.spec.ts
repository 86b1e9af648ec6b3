import fc from 'fast-check';
import { IsString } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { jsonTextBounds } from './json-text-bounds.util.js';
import { jsonValueCheck } from './json-value-check.util.js';
import { linearKeys, plainToInstanceLinear } from './linear-class-transformer.js';
import { decodeCursor, encodeCursor } from './pagination.js';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const membersOf = (value: unknown): number =>
  Array.isArray(value)
    ? value.length + value.reduce<number>((n, v) => n + membersOf(v), 0)
    : typeof value === 'object' && value !== null
      ? Object.values(value).reduce<number>((n, v) => n + 1 + membersOf(v), 0)
      : 0;
const depthOf = (value: unknown): number =>
  typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

describe('JSON bounds: the raw-text scan and the value walk agree', () => {
  it('count the same members and depth for any JSON value (either side of the limit)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const members = membersOf(value);
        const depth = depthOf(value);
        const exact = { maxDepth: Math.max(depth, 1), maxMembers: members };
        expect(jsonTextBounds(bytes(value), exact)).toBeUndefined();
        expect(jsonValueCheck(value, exact)).toBeUndefined();
        if (members > 0) {
          const fewer = { maxDepth: 64, maxMembers: members - 1 };
          expect(jsonTextBounds(bytes(value), fewer)).toEqual({ kind: 'members' });
          expect(jsonValueCheck(value, fewer)).toEqual({ kind: 'members' });
        }
        if (depth > 1) {
          const shallower = { maxDepth: depth - 1, maxMembers: 1e9 };
          expect(jsonTextBounds(bytes(value), shallower)?.kind).toBe('depth');
          expect(jsonValueCheck(value, shallower)?.kind).toBe('depth');
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('are not fooled by brackets, colons and escaped quotes inside strings', () => {
    const value = { 'a:[{': '}],\\"[[[:', b: ['"', '\\', '[', ':'] };
    expect(jsonTextBounds(bytes(value), { maxDepth: 2, maxMembers: 6 })).toBeUndefined();
    expect(jsonTextBounds(bytes(value), { maxDepth: 1, maxMembers: 6 })?.kind).toBe('depth');
  });

  it('scan a megabyte of [[[[ in milliseconds, stopping at the limit', () => {
    const started = performance.now();
    expect(jsonTextBounds(Buffer.from('['.repeat(1_048_576)), { maxDepth: 32, maxMembers: 20_000 })).toEqual({
      kind: 'depth',
      path: '',
    });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('name the path of NUL and unpaired surrogates in values and keys, and let pairs through', () => {
    const limits = { maxDepth: 32, maxMembers: 100 };
    expect(jsonValueCheck({ a: [{ b: 'x\u0000' }] }, limits)).toMatchObject({ kind: 'text', path: 'a.0.b' });
    expect(jsonValueCheck({ a: { '\ud800': 1 } }, limits)).toMatchObject({ kind: 'text', path: 'a.\ud800' });
    expect(jsonValueCheck('x\udc00', limits, 'id')).toMatchObject({ kind: 'text', path: 'id' });
    expect(jsonValueCheck({ emoji: '\ud83d\ude00' }, limits)).toBeUndefined();
  });
});

class Dto {
  @IsString() name!: string;
}

describe('linear class-transformer', () => {
  it('gives what class-transformer gives, for DTOs and plain objects of any size', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 300 }), (plain) => {
        expect(plainToInstanceLinear(Dto, plain)).toEqual(plainToInstance(Dto, plain));
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('joins key slices in order, keeping the exposed keys last and once', () => {
    const original = (_t: unknown, o: object) => [...Object.keys(o), 'exposed'];
    const object = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]));
    expect(linearKeys(original)(undefined, object, false)).toEqual([...Object.keys(object), 'exposed']);
  });

  it('takes 20,000 keys in linear time', () => {
    const plain = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
    const started = performance.now();
    plainToInstanceLinear(Dto, plain);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('decodeCursor', () => {
  const id = '0b7e9c1a-3f7d-4c55-9a57-2f0a1c3e5d7b';
  it('takes what encodeCursor writes, and nothing else', () => {
    const at = new Date('2025-03-01T10:00:00.123Z');
    expect(decodeCursor(encodeCursor({ createdAt: at, id }))).toEqual({ createdAt: at, id });
    expect(decodeCursor(encodeCursor({ createdAt: at, id: '42' }), 'bigint')).toEqual({
      createdAt: at,
      id: '42',
    });
    const forged = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of [
      forged(`2025-03-01T10:00:00.123Z|x`),
      forged(`2025-02-30T10:00:00.000Z|${id}`),
      forged(`+275760-09-13T00:00:00.000Z|${id}`),
      forged(`2025-03-01T10:00:00.123Z|${id}|x`),
      forged(`2025-03-01T10:00:00.123Z|42`),
      'not base64 at all!',
      '',
    ])
      expect(() => decodeCursor(cursor)).toThrow(
        expect.objectContaining({ details: [expect.objectContaining({ path: 'cursor' })] }),
      );
  });
});
