// Contiv's names: DNS-like labels joined by dots; no `_ : | # @ ! ~ * ^ \`.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Why `name` is not a valid object name, or undefined when it is. */
export function nameIssue(name: string): string | undefined {
  if (name.length < 1 || name.length > 64) return 'must be 1-64 characters';
  if (!/^[A-Za-z0-9.-]+$/.test(name)) return 'may contain only letters, digits, "-" and "."';
  if (!name.split('.').every((label) => LABEL.test(label))) {
    return 'each dot-separated label must start and end with a letter or digit';
  }
  return undefined;
}
