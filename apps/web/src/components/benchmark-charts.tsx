import type { Benchmark, BenchmarkCandidate } from '../api/types';
import { interval, niceMax, whole } from '../lib/benchmark-format';

const W = 640;
const H = 300;
const PLOT = { left: 72, top: 16, width: W - 72 - 24, height: H - 16 - 56 };
const TICKS = [0, 0.25, 0.5, 0.75, 1];

type Measured = BenchmarkCandidate & { result: NonNullable<BenchmarkCandidate['result']> };

const measuredOf = (b: Benchmark): Measured[] => b.candidates.filter((c): c is Measured => c.result !== null);
const hourly = (c: BenchmarkCandidate) => Number(c.cost.hourly.amount);
const tick = (v: number) => (v < 1 ? v.toPrecision(2) : whole(v));

/**
 * Cost per hour (x) against throughput (y), each candidate a point with its 95% interval as a
 * whisker. The axes start at 0; the plot box and the axis maxima are on the svg as data-* so
 * that a test can check each point against the table.
 */
export function CostThroughputScatter({ benchmark }: { benchmark: Benchmark }) {
  const points = measuredOf(benchmark);
  if (!points.length) return <p className="muted">No candidate was measured: nothing to plot.</p>;
  const xMax = niceMax(Math.max(...points.map(hourly)) * 1.05);
  const yMax = niceMax(
    Math.max(...points.map((c) => c.result.throughput.interval?.high ?? c.result.throughput.mean)) * 1.05,
  );
  const x = (v: number) => PLOT.left + (v / xMax) * PLOT.width;
  const y = (v: number) => PLOT.top + PLOT.height - (v / yMax) * PLOT.height;
  const currency = points[0]!.cost.hourly.currency;
  return (
    <svg
      className="bench-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Cost per hour against throughput for ${points.length} measured candidates`}
      data-chart="scatter"
      data-x-max={xMax}
      data-y-max={yMax}
      data-plot={`${PLOT.left},${PLOT.top},${PLOT.width},${PLOT.height}`}
    >
      <Axes xMax={xMax} yMax={yMax} xLabel={`cost per hour (${currency})`} yLabel="requests per second" />
      {points.map((c) => {
        const t = c.result.throughput;
        const cx = x(hourly(c));
        return (
          <g key={c.position} data-candidate={c.position}>
            <title>{`${c.label}: ${whole(t.mean)} req/s (95% CI ${interval(t.interval)}) at ${c.cost.hourly.amount} ${currency}/h`}</title>
            {t.interval && (
              <>
                <line
                  className="whisker"
                  data-whisker=""
                  x1={cx}
                  x2={cx}
                  y1={y(t.interval.low)}
                  y2={y(t.interval.high)}
                />
                <line
                  className="whisker"
                  x1={cx - 5}
                  x2={cx + 5}
                  y1={y(t.interval.low)}
                  y2={y(t.interval.low)}
                />
                <line
                  className="whisker"
                  x1={cx - 5}
                  x2={cx + 5}
                  y1={y(t.interval.high)}
                  y2={y(t.interval.high)}
                />
              </>
            )}
            <circle className="point" cx={cx} cy={y(t.mean)} r={5} />
            <text className="point-label" x={cx + 8} y={y(t.mean) - 6}>
              {c.position + 1}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Axes({
  xMax,
  yMax,
  xLabel,
  yLabel,
}: {
  xMax: number;
  yMax: number;
  xLabel: string;
  yLabel: string;
}) {
  const bottom = PLOT.top + PLOT.height;
  return (
    <g className="axes" aria-hidden="true">
      {TICKS.map((f) => (
        <g key={f}>
          <line
            className="grid"
            x1={PLOT.left}
            x2={PLOT.left + PLOT.width}
            y1={bottom - f * PLOT.height}
            y2={bottom - f * PLOT.height}
          />
          <text className="tick" x={PLOT.left - 6} y={bottom - f * PLOT.height + 4} textAnchor="end">
            {tick(f * yMax)}
          </text>
          <text className="tick" x={PLOT.left + f * PLOT.width} y={bottom + 16} textAnchor="middle">
            {tick(f * xMax)}
          </text>
        </g>
      ))}
      <line className="axis" x1={PLOT.left} x2={PLOT.left} y1={PLOT.top} y2={bottom} />
      <line className="axis" x1={PLOT.left} x2={PLOT.left + PLOT.width} y1={bottom} y2={bottom} />
      <text className="axis-label" x={PLOT.left + PLOT.width / 2} y={H - 8} textAnchor="middle">
        {xLabel}
      </text>
      <text
        className="axis-label"
        transform={`translate(14 ${PLOT.top + PLOT.height / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {yLabel}
      </text>
    </g>
  );
}

/**
 * One horizontal bar per measured candidate, with its interval as a whisker where it has one and,
 * for latency, the SLO as a dashed line.
 */
export function CandidateBars({ benchmark, what }: { benchmark: Benchmark; what: 'value' | 'latency' }) {
  const rows = measuredOf(benchmark);
  if (!rows.length) return null;
  const figure = (c: Measured) =>
    what === 'value'
      ? { mean: c.result.perDollarHour.mean, interval: c.result.perDollarHour.interval }
      : { mean: c.result.latencyMs.p95, interval: null };
  const slo = what === 'latency' ? benchmark.slo.p95Ms : undefined;
  const max = niceMax(
    Math.max(...rows.map((c) => figure(c).interval?.high ?? figure(c).mean), slo ?? 0) * 1.05,
  );
  const left = 180;
  const width = W - left - 24;
  const bar = 22;
  const height = rows.length * (bar + 12) + 40;
  const x = (v: number) => left + (v / max) * width;
  const unit = what === 'value' ? `req/s per ${rows[0]!.cost.hourly.currency}/h` : 'ms (p95)';
  return (
    <svg
      className="bench-chart"
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-label={
        what === 'value' ? 'Price/performance per candidate' : 'p95 latency per candidate, with the SLO'
      }
      data-chart={what}
      data-x-max={max}
    >
      {rows.map((c, i) => {
        const f = figure(c);
        const top = 8 + i * (bar + 12);
        return (
          <g key={c.position} data-candidate={c.position}>
            <title>{`${c.label}: ${whole(f.mean)} ${unit}${f.interval ? ` (95% CI ${interval(f.interval)})` : ''}`}</title>
            <text className="bar-label" x={left - 8} y={top + bar / 2 + 4} textAnchor="end">
              {`${c.position + 1}. ${c.label.length > 24 ? `${c.label.slice(0, 23)}…` : c.label}`}
            </text>
            <rect
              className={`bar${what === 'latency' && c.result.sloMet === false ? ' bar-missed' : ''}`}
              x={left}
              y={top}
              width={x(f.mean) - left}
              height={bar}
            />
            {f.interval && (
              <line
                className="whisker"
                x1={x(f.interval.low)}
                x2={x(f.interval.high)}
                y1={top + bar / 2}
                y2={top + bar / 2}
              />
            )}
            <text className="bar-value" x={x(f.mean) + 6} y={top + bar / 2 + 4}>
              {whole(f.mean)}
            </text>
          </g>
        );
      })}
      {slo !== undefined && (
        <g data-slo={slo}>
          <line className="slo-line" x1={x(slo)} x2={x(slo)} y1={0} y2={height - 30} />
          <text className="tick" x={x(slo)} y={height - 16} textAnchor="middle">
            SLO {whole(slo)} ms
          </text>
        </g>
      )}
      <text className="axis-label" x={left + width / 2} y={height - 2} textAnchor="middle">
        {unit}
      </text>
    </svg>
  );
}
