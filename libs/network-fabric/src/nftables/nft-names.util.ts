// Everything this library writes into an nftables ruleset that comes from a user is a name, a
// comment or an address. Names become identifiers of [a-z0-9_] only, one to one: lowercase letters
// and digits stay, every other character a fabric name may hold (A-Z, "-", ".") becomes "_" and its
// two hex digits, so "Web-1" is "_57eb_2d1" and no two names meet. Anything else is refused.

const ESCAPABLE = /^[A-Za-z0-9.-]+$/;
// nftables keeps table, chain and set names to 256 bytes and comments to 128
const NAME_MAX = 255;
const COMMENT_MAX = 128;

/** `prefix_` and the name escaped; throws for a name no fabric object can have. */
export function nftIdentifier(prefix: string, name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix) || !ESCAPABLE.test(name)) {
    throw new Error(`"${name}" cannot be named in an nftables ruleset`);
  }
  const escaped = [...name]
    .map((c) => (/[a-z0-9]/.test(c) ? c : `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('');
  const identifier = `${prefix}_${escaped}`;
  if (identifier.length > NAME_MAX) throw new Error(`"${name}" is too long for an nftables name`);
  return identifier;
}

/** A quoted comment of fabric names (letters, digits, "-", ".", ":", "/"), cut to nftables' limit. */
export function nftComment(text: string): string {
  if (!/^[A-Za-z0-9.:/ -]*$/.test(text)) throw new Error(`"${text}" cannot be an nftables comment`);
  return `"${text.length > COMMENT_MAX - 1 ? `${text.slice(0, COMMENT_MAX - 2)}~` : text}"`;
}
