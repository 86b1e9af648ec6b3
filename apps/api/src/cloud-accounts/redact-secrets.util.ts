/** Replaces every credential value that appears in a message (a cloud may echo a key id). */
export function redactSecrets(message: string, credentials: Record<string, unknown>): string {
  let out = message;
  for (const [key, value] of Object.entries(credentials)) {
    // `kind` is the OpenStack credential type (password / application-credential), not a secret
    if (key !== 'kind' && typeof value === 'string' && value.length >= 4)
      out = out.split(value).join('********');
  }
  return out;
}
