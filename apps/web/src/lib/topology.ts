import type { BlueprintDocument, BlueprintTier } from '../api/types';
import { routeEdges, type Box, type RoutedEdge } from './topology-edges';

export interface TopoNode extends Box {
  id: string;
  label: string;
  sub: string;
  external: boolean;
  column: number;
}

export interface Topology {
  nodes: TopoNode[];
  edges: RoutedEdge[];
  width: number;
  height: number;
}

const NODE_W = 170;
const NODE_H = 54;
const ROW_GAP = 40;

/**
 * Lays out the blueprint as traffic flows: outside sources in the first column, then each tier one
 * column right of the furthest tier or source that connects to it. Edges between neighbouring columns
 * curve through the gap; longer ones and those going back run in lanes above or below every node, so
 * no edge passes under a node; port labels are placed where they overlap neither nodes nor each other.
 */
export function layoutTopology(doc: BlueprintDocument): Topology {
  const tiers = doc.tiers ?? {};
  const connections = (doc.connections ?? []).filter((c) => c.to in tiers);
  const externals = [...new Set(connections.map((c) => c.from).filter((f) => !(f in tiers)))];
  const columns = columnsOf(Object.keys(tiers), externals, connections);
  const rowOf = new Map<string, number>();
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const areaHeight = tallest * NODE_H + (tallest - 1) * ROW_GAP;
  const nodes: TopoNode[] = [];
  columns.forEach((ids, column) => {
    const top = (areaHeight - (ids.length * NODE_H + (ids.length - 1) * ROW_GAP)) / 2;
    ids.forEach((id, row) => {
      rowOf.set(id, row);
      const external = !(id in tiers);
      const names = external ? externalNames(id, doc) : { label: id, sub: tierSub(tiers[id]) };
      nodes.push({
        id,
        ...names,
        external,
        column,
        x: 0,
        y: top + row * (NODE_H + ROW_GAP),
        w: NODE_W,
        h: NODE_H,
      });
    });
  });
  const edges = connections.map((c) => ({
    from: c.from,
    to: c.to,
    ports: (c.ports ?? []).join(', ') || 'any port',
  }));
  return routeEdges(nodes, edges);
}

/**
 * Columns by connection: sources outside first, then each tier one past the furthest of those
 * connecting to it (connections closing a cycle do not count); in a column, tiers sit in the order of
 * the rows of those connecting to them, which keeps edges from crossing needlessly.
 */
function columnsOf(
  tierNames: string[],
  externals: string[],
  connections: { from: string; to: string }[],
): string[][] {
  const isTier = new Set(tierNames);
  const between = connections.filter((c) => isTier.has(c.from) && c.from !== c.to);
  // depth-first from the tiers nothing inside connects to; a connection back to an open tier closes a cycle
  const preds = new Map<string, string[]>(tierNames.map((t) => [t, []]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (t: string) => {
    state.set(t, 'open');
    for (const c of between.filter((x) => x.from === t)) {
      if (state.get(c.to) === 'open') continue;
      preds.get(c.to)?.push(c.from);
      if (!state.has(c.to)) visit(c.to);
    }
    state.set(t, 'done');
  };
  const entered = (t: string) => between.some((c) => c.to === t);
  for (const t of [...tierNames].sort((a, b) => Number(entered(a)) - Number(entered(b)))) {
    if (!state.has(t)) visit(t);
  }

  const base = externals.length ? 1 : 0;
  const column = new Map<string, number>(externals.map((e) => [e, 0]));
  const colOf = (t: string): number => {
    const known = column.get(t);
    if (known !== undefined) return known;
    const ps = preds.get(t) ?? [];
    const c = Math.max(base, ...ps.map((p) => colOf(p) + 1));
    column.set(t, c);
    return c;
  };
  tierNames.forEach(colOf);
  const columns: string[][] = [];
  for (const id of [...externals, ...tierNames]) (columns[column.get(id) ?? 0] ??= []).push(id);
  const dense = columns.filter(Boolean);
  // order each column by where the ones connecting to it sit
  const row = new Map<string, number>();
  dense.forEach((ids, ci) => {
    if (ci > 0) {
      const weight = (id: string) => {
        const rows = connections
          .filter((c) => c.to === id && row.has(c.from))
          .map((c) => row.get(c.from) ?? 0);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
      };
      ids.sort((a, b) => weight(a) - weight(b));
    }
    ids.forEach((id, i) => row.set(id, i));
  });
  return dense;
}

/** An outside source as people name it: "Internet", or a CIDR parameter's network and value. */
function externalNames(id: string, doc: BlueprintDocument): { label: string; sub: string } {
  if (id === 'internet') return { label: 'Internet', sub: 'any address' };
  const param = /^\$\{params\.([A-Za-z0-9_]+)\}$/.exec(id)?.[1];
  if (!param) return { label: id, sub: 'outside network' };
  const words = param
    .replace(/Cidrs?$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const who = words === 'ssh' ? 'SSH' : words ? words[0]?.toUpperCase() + words.slice(1) : 'Allowed';
  const value = doc.parameters?.[param]?.default;
  return {
    label: `${who} network`,
    sub: value === undefined ? `${param} parameter` : `${String(value)} (${param})`,
  };
}

function tierSub(tier: BlueprintTier | undefined): string {
  if (!tier) return '';
  const count = tier.count === undefined ? '×1' : typeof tier.count === 'number' ? `×${tier.count}` : '×n';
  const what = tier.uses ?? (tier.image ? `${tier.image.os} ${tier.image.version}` : 'vm');
  return `${what} ${count}`;
}
