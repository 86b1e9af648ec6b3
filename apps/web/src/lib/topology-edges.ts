export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface RoutedEdge {
  from: string;
  to: string;
  ports: string;
  path: string;
  /** where the port label's centre sits, and the room it takes */
  label: Box;
}

export type Node = Box & { id: string; column: number };
type Point = { x: number; y: number };
type Route = { kind: 'curve' | 'lane'; points: Point[] };

const PAD = 16;
const LANE = 26; // between two lanes: a label's height and some air
const STEP = 10; // between two vertical runs in one gap
const LABEL_H = 14;
// 11px text: wider than any glyph of a port list, so the estimate never undershoots
const labelWidth = (text: string) => Math.ceil(text.length * 6.8) + 8;

/**
 * Places the columns and draws every edge so that none passes under a node: neighbouring columns
 * by a curve in the gap between them; any other edge leaves into the gap beside its source, runs in
 * a lane of its own above the nodes (forward) or below them (back, or to its own column), and comes
 * down the gap before its target. Labels go on their lane, or along the curve where they hit nothing.
 */
export function routeEdges<N extends Node>(
  nodes: N[],
  edges: { from: string; to: string; ports: string }[],
): { nodes: N[]; edges: RoutedEdge[]; width: number; height: number } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const kind = (e: { from: string; to: string }) => {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) return undefined;
    return b.column === a.column + 1 ? 'curve' : b.column > a.column ? 'over' : 'under';
  };
  const widest = Math.max(0, ...edges.filter((e) => kind(e) === 'curve').map((e) => labelWidth(e.ports)));
  const lanesPerGap = new Map<number, number>();
  for (const e of edges) {
    const k = kind(e);
    if (k === 'over' || k === 'under') {
      for (const g of [byId.get(e.from)?.column ?? 0, (byId.get(e.to)?.column ?? 0) - 1]) {
        lanesPerGap.set(g, (lanesPerGap.get(g) ?? 0) + 1);
      }
    }
  }
  const gap = Math.max(110, widest + 24, 40 + 2 * STEP * Math.max(0, ...lanesPerGap.values()));
  const nodeW = nodes[0]?.w ?? 0;
  const over = edges.filter((e) => kind(e) === 'over');
  const under = edges.filter((e) => kind(e) === 'under');
  const top = PAD + over.length * LANE + (over.length ? LANE / 2 : 0);
  for (const n of nodes) {
    n.x = gap + n.column * (nodeW + gap);
    n.y += top;
  }
  const bottom = Math.max(...nodes.map((n) => n.y + n.h));

  // endpoints spread over a node's side, in the order of where the other end is
  const ends = attachments(nodes, edges, kind);
  // vertical runs in a gap: those leaving from its left side, those arriving from its right
  const runs = { leaving: new Map<number, number>(), arriving: new Map<number, number>() };
  const run = (side: keyof typeof runs, g: number) => {
    const i = (runs[side].get(g) ?? 0) + 1;
    runs[side].set(g, i);
    return i * STEP;
  };
  // the gap after column g (g = -1: before the first column) starts here
  const gapLeft = (g: number) => gap + g * (nodeW + gap) + nodeW;
  const routes = edges.map((e, i): Route | undefined => {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    const k = kind(e);
    if (!a || !b || !k) return undefined;
    const start = { x: a.x + a.w, y: ends.out.get(i) ?? a.y + a.h / 2 };
    const end = { x: b.x, y: ends.in.get(i) ?? b.y + b.h / 2 };
    if (k === 'curve') return { kind: 'curve', points: [start, end] };
    const laneY =
      k === 'over'
        ? top - LANE / 2 - (over.indexOf(e) + 0.5) * LANE
        : bottom + LANE / 2 + (under.indexOf(e) + 0.5) * LANE;
    const outX = gapLeft(a.column) + run('leaving', a.column);
    const inX = gapLeft(b.column - 1) + gap - run('arriving', b.column - 1);
    return {
      kind: 'lane',
      points: [
        start,
        { x: outX, y: start.y },
        { x: outX, y: laneY },
        { x: inX, y: laneY },
        { x: inX, y: end.y },
        end,
      ],
    };
  });

  const placed: Box[] = nodes.map((n) => ({ x: n.x + n.w / 2, y: n.y + n.h / 2, w: n.w + 4, h: n.h + 4 }));
  const labels = new Map<number, Box>();
  // lane labels first: their lane is theirs alone
  routes.forEach((r, i) => {
    if (r?.kind !== 'lane') return;
    const [, , p, q] = r.points as [Point, Point, Point, Point];
    const box = { x: (p.x + q.x) / 2, y: p.y, w: labelWidth(edges[i]?.ports ?? ''), h: LABEL_H };
    labels.set(i, box);
    placed.push(box);
  });
  routes.forEach((r, i) => {
    if (r?.kind !== 'curve') return;
    const box = curveLabel(r.points as [Point, Point], labelWidth(edges[i]?.ports ?? ''), placed);
    labels.set(i, box);
    placed.push(box);
  });

  // the first gap is there for edges arriving at the first column; without them, close it up
  const points = routes.flatMap((r) => r?.points ?? []);
  const dx =
    PAD - Math.min(...nodes.map((n) => n.x), ...points.map((p) => p.x), ...placed.map((b) => b.x - b.w / 2));
  for (const item of [...nodes, ...points, ...placed]) item.x += dx;
  const routed = edges.flatMap((e, i): RoutedEdge[] => {
    const r = routes[i];
    const label = labels.get(i);
    return r && label ? [{ ...e, path: pathOf(r), label }] : [];
  });
  const width = Math.max(...points.map((p) => p.x), ...placed.map((b) => b.x + b.w / 2)) + PAD;
  const height = Math.max(...points.map((p) => p.y), ...placed.map((b) => b.y + b.h / 2)) + PAD;
  return { nodes, edges: routed, width, height };
}

/** The first point along the curve (middle first, then either way) where the label hits nothing placed. */
function curveLabel([s, t]: [Point, Point], w: number, placed: Box[]): Box {
  const at = (u: number): Point => {
    // the cubic with both control points at mid-x: x and y follow the Bernstein weights
    const cx = (s.x + t.x) / 2;
    const v = 1 - u;
    return {
      x: v ** 3 * s.x + 3 * v * v * u * cx + 3 * v * u * u * cx + u ** 3 * t.x,
      y: v ** 3 * s.y + 3 * v * v * u * s.y + 3 * v * u * u * t.y + u ** 3 * t.y,
    };
  };
  for (const u of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const p = at(u);
    const box = { x: p.x, y: p.y, w, h: LABEL_H };
    if (!placed.some((b) => overlaps(b, box))) return box;
  }
  // crowded: straight down from the middle until free
  const mid = at(0.5);
  for (let k = 1; ; k++) {
    const box = { x: mid.x, y: mid.y + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * (LABEL_H + 2), w, h: LABEL_H };
    if (!placed.some((b) => overlaps(b, box))) return box;
  }
}

/** Boxes by centre and size; touching is not overlapping. */
const overlaps = (a: Box, b: Box) =>
  Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;

function pathOf(r: Route): string {
  const [s, ...rest] = r.points;
  if (!s) return '';
  if (r.kind === 'curve') {
    const t = rest[0] ?? s;
    const cx = (s.x + t.x) / 2;
    return `M${s.x},${s.y} C${cx},${s.y} ${cx},${t.y} ${t.x},${t.y}`;
  }
  return `M${s.x},${s.y} ${rest.map((p) => `L${p.x},${p.y}`).join(' ')}`;
}

/** Where each edge leaves its source's right side and enters its target's left side. */
function attachments(
  nodes: Node[],
  edges: { from: string; to: string }[],
  kind: (e: { from: string; to: string }) => string | undefined,
): { out: Map<number, number>; in: Map<number, number> } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rank = (i: number, other: Node | undefined) => {
    const k = kind(edges[i] ?? { from: '', to: '' });
    return k === 'over' ? -Infinity : k === 'under' ? Infinity : (other?.y ?? 0);
  };
  const spread = (side: 'from' | 'to') => {
    const ys = new Map<number, number>();
    for (const n of nodes) {
      const mine = edges.flatMap((e, i) => (e[side] === n.id && kind(e) ? [i] : []));
      const other = (i: number) => byId.get(side === 'from' ? (edges[i]?.to ?? '') : (edges[i]?.from ?? ''));
      mine.sort((i, j) => rank(i, other(i)) - rank(j, other(j)));
      mine.forEach((i, k) => ys.set(i, n.y + (n.h * (k + 1)) / (mine.length + 1)));
    }
    return ys;
  };
  return { out: spread('from'), in: spread('to') };
}
