import { useEffect, useMemo, useRef, useState } from 'react';
import type { BlueprintDocument } from '../api/types';
import { layoutTopology } from '../lib/topology';

/**
 * The tiers as boxes in columns as traffic flows, connections as arrows labelled with their ports.
 * Narrower than the diagram, its box shows it whole, shrunk to fit; "Full size" draws it at its own
 * size to scroll through.
 */
export function TopologyDiagram({ doc }: { doc: BlueprintDocument }) {
  const topo = useMemo(() => layoutTopology(doc), [doc]);
  const box = useRef<HTMLDivElement>(null);
  const [room, setRoom] = useState<number>();
  const [fullSize, setFullSize] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const seen = new ResizeObserver(() => setRoom(el.clientWidth));
    seen.observe(el);
    return () => seen.disconnect();
  }, []);
  if (!topo.nodes.length) return <p className="muted">This blueprint has no tiers.</p>;
  const shrunk = room !== undefined && room < topo.width;
  const names = new Map(topo.nodes.map((n) => [n.id, n.label]));
  const summary = topo.edges
    .map((e) => `${names.get(e.from) ?? e.from} to ${names.get(e.to) ?? e.to} on ${e.ports}`)
    .join('; ');
  return (
    <figure className="topology">
      {(shrunk || fullSize) && (
        <button type="button" className="btn btn-small topology-zoom" onClick={() => setFullSize(!fullSize)}>
          {fullSize ? 'Fit to width' : 'Full size'}
        </button>
      )}
      <div className="topology-scroll" ref={box}>
        <svg
          viewBox={`0 0 ${topo.width} ${topo.height}`}
          style={fullSize ? { width: topo.width } : { width: '100%', maxWidth: topo.width }}
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
          {topo.edges.map((e, i) => (
            <path key={`${e.from}-${e.to}-${i}`} className="topo-edge" d={e.path} markerEnd="url(#arrow)" />
          ))}
          {topo.nodes.map((n) => (
            <g key={n.id} className={n.external ? 'topo-node topo-external' : 'topo-node'}>
              <rect x={n.x} y={n.y} width={n.w} height={n.h} rx={8} />
              <text x={n.x + n.w / 2} y={n.y + 22} textAnchor="middle" className="topo-label">
                {n.label}
              </text>
              <text x={n.x + n.w / 2} y={n.y + 40} textAnchor="middle" className="topo-sub">
                {n.sub}
              </text>
            </g>
          ))}
          {topo.edges.map((e, i) => (
            <text
              key={`${e.from}-${e.to}-${i}`}
              x={e.label.x}
              y={e.label.y + 4}
              textAnchor="middle"
              className="topo-port"
            >
              {e.ports}
            </text>
          ))}
        </svg>
      </div>
      <figcaption className="muted">
        Traffic flows left to right, from outside sources to the tiers they reach; arrows that go back or skip
        a column run above or below the boxes.
      </figcaption>
    </figure>
  );
}
