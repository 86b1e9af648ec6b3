import { useMemo } from 'react';
import type { BlueprintDocument } from '../api/types';
import { layoutTopology, NODE_H, NODE_W, type TopoNode } from '../lib/topology';

/** The tiers as boxes in columns by stage, connections as arrows labelled with their ports. */
export function TopologyDiagram({ doc }: { doc: BlueprintDocument }) {
  const topo = useMemo(() => layoutTopology(doc), [doc]);
  if (!topo.nodes.length) return <p className="muted">This blueprint has no tiers.</p>;
  const byId = new Map(topo.nodes.map((n) => [n.id, n]));
  const summary = topo.edges.map((e) => `${label(byId.get(e.from))} to ${e.to} on ${e.ports}`).join('; ');
  return (
    <figure className="topology">
      <div className="topology-scroll">
        <svg
          viewBox={`0 0 ${topo.width} ${topo.height}`}
          width={topo.width}
          height={topo.height}
          role="img"
          aria-label={`Topology: ${summary}`}
        >
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className="topo-arrow" />
            </marker>
          </defs>
          {topo.edges.map((e, i) => {
            const a = byId.get(e.from);
            const b = byId.get(e.to);
            if (!a || !b) return null;
            const { path, mx, my } = edgePath(a, b, i);
            return (
              <g key={`${e.from}-${e.to}-${i}`} className="topo-edge">
                <path d={path} markerEnd="url(#arrow)" />
                <text x={mx} y={my - 5} textAnchor="middle" className="topo-port">
                  {e.ports}
                </text>
              </g>
            );
          })}
          {topo.nodes.map((n) => (
            <g key={n.id} className={n.external ? 'topo-node topo-external' : 'topo-node'}>
              <rect x={n.x} y={n.y} width={NODE_W} height={NODE_H} rx={8} />
              <text x={n.x + NODE_W / 2} y={n.y + 22} textAnchor="middle" className="topo-label">
                {n.label}
              </text>
              <text x={n.x + NODE_W / 2} y={n.y + 40} textAnchor="middle" className="topo-sub">
                {n.sub}
              </text>
            </g>
          ))}
        </svg>
      </div>
      <figcaption className="muted">
        Traffic flows left to right: outside sources, then tiers from the front end back; tiers further right
        are created first.
      </figcaption>
    </figure>
  );
}

const label = (n: TopoNode | undefined) => n?.label ?? '?';

function edgePath(a: TopoNode, b: TopoNode, i: number) {
  const forward = b.x >= a.x;
  const x1 = forward ? a.x + NODE_W : a.x;
  const x2 = forward ? b.x : b.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  const y2 = b.y + NODE_H / 2;
  if (a.x === b.x) {
    // same column: bow out to the right
    const bow = a.x + NODE_W + 40 + (i % 3) * 10;
    return {
      path: `M${a.x + NODE_W},${y1} C${bow},${y1} ${bow},${y2} ${a.x + NODE_W},${y2}`,
      mx: bow,
      my: (y1 + y2) / 2,
    };
  }
  const cx = (x1 + x2) / 2;
  return { path: `M${x1},${y1} C${cx},${y1} ${cx},${y2} ${x2},${y2}`, mx: cx, my: (y1 + y2) / 2 };
}
