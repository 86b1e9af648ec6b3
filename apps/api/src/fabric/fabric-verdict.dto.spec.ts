import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { AppException } from '../common/app.exception.js';
import { createValidationPipe } from '../common/validation.pipe.js';
import { VerdictQueryDto } from './fabric-verdict.dto.js';

// The same rules without the shortcut: what the pipe answers for every query the shortcut declines.
class RulesOnly extends VerdictQueryDto {}
Object.defineProperty(RulesOnly, 'plainlyValid', { value: undefined });

const pipe = createValidationPipe();
const meta = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'query', metatype });

/** The pipe's answer: the DTO's fields, or the details of its 400. */
async function answer(metatype: ArgumentMetadata['metatype'], query: object): Promise<unknown> {
  try {
    return { ...((await pipe.transform(query, meta(metatype))) as object) };
  } catch (err) {
    if (err instanceof AppException) return { refused: err.details };
    throw err;
  }
}

const NAMES = [
  'web',
  'g1',
  '10.1.1.1',
  'a'.repeat(64),
  'a'.repeat(65),
  '',
  'wé',
  'a b',
  'x\u0000',
  '\ud800',
  7,
];
const PROTOCOLS = [undefined, 'tcp', 'udp', 'icmp', '6', '255', '256', '', 'TCP', 'sctp', ['tcp']];
const PORTS = [
  undefined,
  '0',
  '80',
  '65535',
  '65536',
  '',
  ' 80',
  '0x50',
  '1e2',
  '-1',
  '8.5',
  'x',
  ['80', '81'],
];

describe('VerdictQueryDto.plainlyValid', () => {
  it('accepts the usual query as the rules make it', async () => {
    const query = { tenant: 'bench', from: 'g1', to: '10.1.1.2', protocol: 'tcp', port: '5432' };
    const plain = VerdictQueryDto.plainlyValid(query);
    expect(plain).toBeInstanceOf(VerdictQueryDto);
    expect({ ...plain }).toEqual(await answer(RulesOnly, query));
    expect(plain?.port).toBe(5432);
  });

  it('accepts only what the rules accept, as they make it; the pipe answers the rest by the rules', async () => {
    let accepted = 0;
    let declined = 0;
    for (const [i, from] of NAMES.entries())
      for (const [j, protocol] of PROTOCOLS.entries())
        for (const [k, port] of PORTS.entries()) {
          const to = NAMES[(i + j + k) % NAMES.length];
          const tenant = (i + k) % 3 === 0 ? undefined : NAMES[(j + k) % NAMES.length];
          const query: Record<string, unknown> = { from, to, tenant, protocol, port };
          for (const key of Object.keys(query)) if (query[key] === undefined) delete query[key];
          if ((i + j + k) % 7 === 0) query.extra = 'x';
          const rules = await answer(RulesOnly, query);
          const plain = VerdictQueryDto.plainlyValid(query);
          if (plain) {
            accepted++;
            expect({ ...plain }).toEqual(rules);
          } else declined++;
          // through the pipe, shortcut or not, the answer is the rules' (their 400 details included)
          expect(await answer(VerdictQueryDto, query)).toEqual(rules);
        }
    expect(accepted).toBeGreaterThan(10);
    expect(declined).toBeGreaterThan(1000);
  });

  it('accepts every query of plain names, a known protocol and a port of digits', async () => {
    for (const from of NAMES.slice(0, 4))
      for (const protocol of PROTOCOLS.slice(0, 6))
        for (const port of PORTS.slice(0, 4)) {
          const query = {
            tenant: 'bench',
            from,
            to: 'db',
            ...(protocol && { protocol }),
            ...(port && { port }),
          };
          const plain = VerdictQueryDto.plainlyValid(query);
          expect(plain).toBeDefined();
          expect({ ...plain }).toEqual(await answer(RulesOnly, query));
        }
  });

  it('declines what is not a plain object of known fields', () => {
    for (const value of [null, undefined, 'from=a', ['a'], { from: 'a', to: 'b', tenant: 'c', more: '1' }])
      expect(VerdictQueryDto.plainlyValid(value)).toBeUndefined();
  });
});
