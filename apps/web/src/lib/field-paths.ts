import { labelFromName } from './params';

/** A field path of the API's errors (`placement.tiers.db`) as the order form names it (`Tier db`). */
export function fieldLabel(path: string): string {
  const [head, ...rest] = path.split('.');
  const tail = rest.join('.');
  if (path === 'name') return 'Name';
  if (path === 'leaseHours') return 'Lease (hours)';
  if (path === 'placement.default') return 'Environment';
  if (path.startsWith('placement.tiers.')) return `Environment of tier ${path.slice(16)}`;
  if (head === 'parameters' && tail) return `Parameter ${labelFromName(tail)}`;
  if (head === 'tiers' && rest.length)
    return `Tier ${rest[0]}${rest.length > 1 ? ` (${rest.slice(1).join('.')})` : ''}`;
  if (head === 'environments' && tail) return `Environment ${tail}`;
  return path;
}
