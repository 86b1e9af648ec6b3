import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Six random [a-z0-9] not in `taken`: kernel names are prefix + one letter + this (15 at most). */
export function newShortId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (!taken(id)) return id;
  }
}
