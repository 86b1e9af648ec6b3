import type { Page } from 'playwright-core';

// page.evaluate runs this in the page; the Node tsconfig has no DOM library (as in a11y.ts)
declare const document: any;

/** What a person would see wrong in a topology diagram: each entry names the elements. */
export interface TopologyFaults {
  edges: number;
  nodes: number;
  /** an edge passing under a node that is not its own end */
  edgeUnderNode: string[];
  /** two port labels on top of each other, or a port label over a node */
  labelOverlaps: string[];
  texts: string[];
}

/**
 * Reads the drawn diagram (SVG user units): every node box, every port label's box, and points every
 * 2 units along every edge; a point inside a node box (inset 2 units, so an edge may touch its own
 * ends) or two boxes that intersect are faults.
 */
export function topologyFaults(page: Page): Promise<TopologyFaults> {
  return page.evaluate(() => {
    const svg = document.querySelector('figure.topology svg');
    if (!svg) throw new Error('no topology diagram');
    type B = { x: number; y: number; w: number; h: number; name: string };
    const nodes: B[] = [...svg.querySelectorAll('.topo-node')].map((g: any) => {
      const r = g.querySelector('rect');
      return {
        x: r.x.baseVal.value,
        y: r.y.baseVal.value,
        w: r.width.baseVal.value,
        h: r.height.baseVal.value,
        name: g.querySelector('.topo-label')?.textContent ?? '?',
      };
    });
    const labels: B[] = [...svg.querySelectorAll('.topo-port')].map((t: any, i: number) => {
      const b = t.getBBox();
      return { x: b.x, y: b.y, w: b.width, h: b.height, name: `label ${i} "${t.textContent}"` };
    });
    const meets = (a: B, b: B) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    const labelOverlaps: string[] = [];
    labels.forEach((a, i) => {
      labels.slice(i + 1).forEach((b) => meets(a, b) && labelOverlaps.push(`${a.name} and ${b.name}`));
      nodes.forEach((n) => meets(a, n) && labelOverlaps.push(`${a.name} and node ${n.name}`));
    });
    const edgeUnderNode: string[] = [];
    // every path drawn but the arrow heads' shape
    const edges = [...svg.querySelectorAll('path')].filter((p: any) => !p.closest('defs'));
    edges.forEach((p: any, i: number) => {
      const length = p.getTotalLength();
      const hit = new Set<string>();
      for (let d = 0; d <= length; d += 2) {
        const pt = p.getPointAtLength(d);
        for (const n of nodes) {
          if (pt.x > n.x + 2 && pt.x < n.x + n.w - 2 && pt.y > n.y + 2 && pt.y < n.y + n.h - 2)
            hit.add(n.name);
        }
      }
      for (const n of hit) edgeUnderNode.push(`edge ${i} under node ${n}`);
    });
    return {
      edges: edges.length,
      nodes: nodes.length,
      edgeUnderNode,
      labelOverlaps,
      texts: [...svg.querySelectorAll('text')].map((t: any): string => t.textContent ?? ''),
    };
  });
}
