import { bitsOf, formatIp, parseIPv4, parseIp } from './ip.util.js';

/** An inclusive span of addresses (or tags). */
export interface Span {
  start: bigint;
  end: bigint;
}

/** A parsed `A.B.C.D/len` or `A.B.C.D-A.B.C.D/len` (or IPv6 `prefix/len`). */
export interface Subnet {
  family: 4 | 6;
  prefix: number;
  /** The network address (first of the block). */
  network: bigint;
  /** The last address of the block (broadcast for IPv4). */
  broadcast: bigint;
  /** For a ranged subnet, the configured range inside the block. */
  range?: Span;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

// /31 and /32 (and their IPv6 peers) leave nothing to hand out once network and broadcast are kept.
const MAX_PREFIX = { 4: 30, 6: 126 } as const;

/** Parses a network's subnet; ranges only for IPv4 (Contiv's syntax). */
export function parseSubnet(text: string): Parsed<Subnet> {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return fail(`"${text}" is not a subnet: expected A.B.C.D/len or A.B.C.D-A.B.C.D/len`);
  const addressPart = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  const dash = addressPart.indexOf('-');
  const first = parseIp(dash < 0 ? addressPart : addressPart.slice(0, dash));
  if (first === undefined || !/^\d{1,3}$/.test(lenText)) {
    return fail(`"${text}" is not a subnet: expected A.B.C.D/len or A.B.C.D-A.B.C.D/len`);
  }
  const family = first.family;
  const bits = bitsOf(family);
  const prefix = Number(lenText);
  if (prefix < 1 || prefix > bits) return fail(`prefix length /${prefix} is outside 1..${bits}`);
  if (prefix > MAX_PREFIX[family]) {
    return fail(
      `/${prefix} leaves no usable address besides network and broadcast (at most /${MAX_PREFIX[family]})`,
    );
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const network = first.value & ~hostMask;
  const broadcast = network | hostMask;
  // Host bits (`60.1.1.1/24`) name the block they are in, as Contiv reads them: many Contiv
  // scripts write subnets that way, and the whole block stays usable.
  if (dash < 0) return { ok: true, value: { family, prefix, network, broadcast } };
  const last = parseIp(addressPart.slice(dash + 1));
  if (family !== 4 || last === undefined || last.family !== 4) {
    return fail(`"${text}" is not a valid range: expected A.B.C.D-A.B.C.D/len (IPv4 only)`);
  }
  if (last.value < first.value) return fail(`range "${addressPart}" ends before it starts`);
  if (last.value > broadcast)
    return fail(`range "${addressPart}" is not inside ${formatIp(4, network)}/${prefix}`);
  const value: Subnet = {
    family,
    prefix,
    network,
    broadcast,
    range: { start: first.value, end: last.value },
  };
  const usable = usableSpan(value);
  if (usable.start > usable.end) return fail(`range "${addressPart}" holds no usable address`);
  return { ok: true, value };
}

/** The addresses that may be handed out: the block (or range) without network and broadcast. */
export function usableSpan(subnet: Subnet): Span {
  const start =
    subnet.range && subnet.range.start > subnet.network ? subnet.range.start : subnet.network + 1n;
  const end = subnet.range && subnet.range.end < subnet.broadcast ? subnet.range.end : subnet.broadcast - 1n;
  return { start, end };
}

export function subnetContains(subnet: Subnet, value: bigint): boolean {
  return value >= subnet.network && value <= subnet.broadcast;
}

/** Two blocks overlap when they share any address (ranges do not matter: routing sees the block). */
export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  return a.family === b.family && a.network <= b.broadcast && b.network <= a.broadcast;
}

/** What a network hands out from: its range when it has one, else its whole block. */
export function poolSpan(subnet: Subnet): Span {
  return subnet.range ?? { start: subnet.network, end: subnet.broadcast };
}

/**
 * Two networks' address pools overlap: a ranged subnet counts only its range, so networks with
 * disjoint ranges may share one block (Contiv's rule, used by scripts that split a /24).
 */
export function poolsOverlap(a: Subnet, b: Subnet): boolean {
  return a.family === b.family && spansOverlap(poolSpan(a), poolSpan(b));
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function spanContains(outer: Span, inner: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** Parses a group's ipPool `A.B.C.D-A.B.C.D`. */
export function parsePool(text: string): Parsed<Span> {
  const [a, b, ...rest] = text.split('-');
  const start = a === undefined ? undefined : parseIPv4(a);
  const end = b === undefined ? undefined : parseIPv4(b);
  if (rest.length > 0 || start === undefined || end === undefined) {
    return fail(`"${text}" is not an address range: expected A.B.C.D-A.B.C.D`);
  }
  if (end < start) return fail(`range "${text}" ends before it starts`);
  return { ok: true, value: { start, end } };
}

export function formatSubnetBlock(subnet: Subnet): string {
  return `${formatIp(subnet.family, subnet.network)}/${subnet.prefix}`;
}

function fail<T>(message: string): Parsed<T> {
  return { ok: false, message };
}
