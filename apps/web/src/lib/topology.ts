import type { BlueprintDocument, BlueprintTier } from '../api/types';

export interface TopoNode {
  id: string;
  label: string;
  sub: string;
  external: boolean;
  x: number;
  y: number;
}

export interface TopoEdge {
  from: string;
  to: string;
  ports: string;
}

export interface Topology {
  nodes: TopoNode[];
  edges: TopoEdge[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 54;
const COL_GAP = 90;
const ROW_GAP = 34;
const PAD = 20;

/** Stages of the tier DAG: a tier's stage is one more than the deepest tier it depends on. */
export function tierStages(tiers: Record<string, { dependsOn?: string[] }>): string[][] {
  const depth = new Map<string, number>();
  const visit = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0; // a cycle: the server refuses those, draw it flat
    seen.add(name);
    const deps = (tiers[name]?.dependsOn ?? []).filter((d) => d in tiers);
    const d = deps.length ? Math.max(...deps.map((x) => visit(x, seen))) + 1 : 0;
    depth.set(name, d);
    return d;
  };
  const stages: string[][] = [];
  for (const name of Object.keys(tiers)) {
    const d = visit(name, new Set());
    (stages[d] ??= []).push(name);
  }
  return stages.filter(Boolean);
}

/**
 * Lays out the tiers in columns by stage, sources outside the blueprint (internet, CIDRs) in a
 * column of their own on the left; the edges carry their ports.
 */
export function layoutTopology(doc: BlueprintDocument): Topology {
  const tiers = doc.tiers ?? {};
  const stages = tierStages(tiers);
  const externals = [...new Set((doc.connections ?? []).map((c) => c.from).filter((f) => !(f in tiers)))];
  // the tier that faces the outside (last stage) is nearest the external column
  const columns: { ids: string[]; external: boolean }[] = [];
  if (externals.length) columns.push({ ids: externals, external: true });
  for (const stage of [...stages].reverse()) columns.push({ ids: stage, external: false });

  const tallest = Math.max(1, ...columns.map((c) => c.ids.length));
  const height = PAD * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP;
  const nodes: TopoNode[] = [];
  columns.forEach((col, ci) => {
    const colHeight = col.ids.length * NODE_H + (col.ids.length - 1) * ROW_GAP;
    const top = (height - colHeight) / 2;
    col.ids.forEach((id, ri) => {
      const tier = tiers[id];
      nodes.push({
        id,
        label: col.external ? externalLabel(id) : id,
        sub: col.external ? 'outside' : tierSub(tier),
        external: col.external,
        x: PAD + ci * (NODE_W + COL_GAP),
        y: top + ri * (NODE_H + ROW_GAP),
      });
    });
  });
  const edges = (doc.connections ?? [])
    .filter((c) => nodes.some((n) => n.id === c.from) && nodes.some((n) => n.id === c.to))
    .map((c) => ({ from: c.from, to: c.to, ports: (c.ports ?? []).join(', ') || 'any' }));
  const width = PAD * 2 + columns.length * NODE_W + Math.max(0, columns.length - 1) * COL_GAP;
  return { nodes, edges, width, height };
}

function externalLabel(id: string): string {
  const m = /^\$\{params\.(.+)\}$/.exec(id);
  return m ? `params.${m[1]}` : id;
}

function tierSub(tier: BlueprintTier | undefined): string {
  if (!tier) return '';
  const count = tier.count === undefined ? '×1' : typeof tier.count === 'number' ? `×${tier.count}` : '×n';
  const what = tier.uses ?? (tier.image ? `${tier.image.os} ${tier.image.version}` : 'vm');
  return `${what} ${count}`;
}
