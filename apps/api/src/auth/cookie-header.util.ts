/** Longest Cookie header read; browsers send at most a few kB, anything past this is ignored. */
const MAX_COOKIE_HEADER = 16_384;

/**
 * The cookies of a `Cookie` header (`a=1; b=2`) by name; the first of a repeated name wins, as
 * browsers send the most specific cookie first. One pass over a bounded prefix of the header, and
 * never throws: a value that is not valid percent-encoding is kept as sent.
 */
export function cookieHeader(header: string | string[] | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (typeof header !== 'string') return cookies;
  const text = header.length > MAX_COOKIE_HEADER ? header.slice(0, MAX_COOKIE_HEADER) : header;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(';', start);
    if (end < 0) end = text.length;
    // within this piece only: searching the rest of the header would make it quadratic
    const piece = text.slice(start, end);
    const eq = piece.indexOf('=');
    if (eq > 0) {
      const name = piece.slice(0, eq).trim();
      let value = piece.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (name && !cookies.has(name)) cookies.set(name, decodeValue(value));
    }
    start = end + 1;
  }
  return cookies;
}

function decodeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
