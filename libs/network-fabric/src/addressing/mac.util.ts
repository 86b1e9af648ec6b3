/** Endpoint MAC as Contiv derives it: `02:02:` then the IPv4 address's four bytes in hex. */
export function endpointMac(ipv4: bigint): string {
  const bytes = [24n, 16n, 8n, 0n].map((shift) => ((ipv4 >> shift) & 0xffn).toString(16).padStart(2, '0'));
  return `02:02:${bytes.join(':')}`;
}
