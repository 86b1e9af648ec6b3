/**
 * The token from `Authorization: Bearer <token>`, or from HTTP Basic auth's user name
 * (`http://TOKEN@host/…`, what netctl-style clients send); undefined when neither is present.
 */
export function credentials(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    return percentDecoded(user) || undefined;
  }
  return undefined;
}

// A user name with bad percent-encoding carries no token (401), rather than throwing (500).
function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
