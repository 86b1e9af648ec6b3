import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** What a password must be (people type these, so characters, not bytes). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** scrypt's cost: N = 2^ln, block size r, parallelism p. */
export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
}

/**
 * One of OWASP's scrypt settings (N=2^15, r=8, p=3): 32 MiB and about 0.1 s a hash. The
 * parameters are stored with every hash, so raising these later re-hashes at the next sign-in.
 */
export const PASSWORD_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 3 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// a stored hash names its own cost; refuse absurd ones rather than burn memory on them
const LIMITS = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;
const PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return new Promise((ok, fail) =>
    // NFC: the same password typed on another system (composed or decomposed accents) matches
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? fail(err) : ok(key))),
  );
}

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');

/**
 * A salted scrypt hash in PHC string form: `$scrypt$ln=15,r=8,p=3$<salt>$<key>` (base64
 * without padding), carrying its parameters so that they can be raised later.
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = PASSWORD_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

function parse(stored: string): ParsedHash | undefined {
  const m = PHC.exec(stored);
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  for (const k of ['ln', 'r', 'p'] as const) {
    if (params[k] < LIMITS[k][0] || params[k] > LIMITS[k][1]) return undefined;
  }
  return { params, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

// Spent on a missing user or a user without a password, so that the answer takes as long as a
// wrong password does. Made once, lazily, with the current parameters.
let dummy: Promise<string> | undefined;

/**
 * Whether `password` matches `stored` (compared in constant time). With no stored hash, or one
 * that cannot be read, it still spends a hash's time and answers false.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = stored ? parse(stored) : undefined;
  if (!parsed) {
    dummy ??= hashPassword('switchyard dummy password');
    const fake = parse(await dummy)!;
    await derive(password, fake.salt, fake.params, fake.key.length);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash was made with weaker parameters than `params` (re-hash it on success). */
export function passwordNeedsRehash(stored: string, params: ScryptParams = PASSWORD_SCRYPT): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const p = parsed.params;
  return p.ln < params.ln || p.r < params.r || p.p < params.p || parsed.key.length < KEY_BYTES;
}
