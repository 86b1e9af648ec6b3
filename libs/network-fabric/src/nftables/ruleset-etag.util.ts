import { createHash } from 'node:crypto';

/**
 * The ETag of a ruleset's text: its SHA-256 in base64url, quoted (a strong validator: same text,
 * same tag). The API answers it, and the worker writes it beside the ruleset in a VM's user-data so
 * that the guest's first pull is a 304.
 */
export function rulesetETag(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url')}"`;
}
