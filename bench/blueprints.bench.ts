// Validation and planning speed of @switchyard/blueprints: prints figures, asserts nothing.
// Run: npx tsx bench/blueprints.bench.ts [runs]   (after `npm run build`)
import {
  createServiceResolver,
  loadBlueprint,
  loadDemoCatalog,
  MAX_BLUEPRINT_BYTES,
  parseBlueprint,
  planDeployment,
  resolveParameters,
  type BlueprintDocument,
  type EnvironmentCatalog,
  type ExpandedBlueprint,
} from '@switchyard/blueprints';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.argv[2] ?? 200);
// The format allows at most 100 tiers (blueprint.schema.ts), so the large case uses that.
const TIERS = 100;

const ENVIRONMENT: EnvironmentCatalog = {
  name: 'openstack-lab',
  provider: 'openstack',
  currency: 'USD',
  storageGiBMonthPrice: '0.02',
  // linux-host root: the demo's node-postgres runs on a Linux host only; planning it needs the image
  images: [
    { os: 'ubuntu', version: '22.04', imageId: 'img-ubuntu-2204' },
    { os: 'linux-host', version: 'root', imageId: 'root' },
  ],
  instanceTypes: [
    { name: 'm1.small', cpu: 1, memoryMiB: 2048, hourlyPrice: '0.01' },
    { name: 'm1.medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.02' },
    { name: 'm1.large', cpu: 4, memoryMiB: 8192, hourlyPrice: '0.04' },
    { name: 'r1.8x32', cpu: 8, memoryMiB: 32768, hourlyPrice: '0.09' },
    { name: 'hpc.16x64', cpu: 16, memoryMiB: 65536, hourlyPrice: '0.12' },
  ],
};
const SECRETS: Record<string, string> = {
  dbPassword: 'pw',
  warehousePassword: 'pw',
  queuePassword: 'pw',
  mungeKey: 'bXVuZ2U=',
  adminEmail: 'a@example.com',
};

function measure(label: string, fn: () => void): void {
  for (let i = 0; i < Math.min(20, RUNS); i++) fn(); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  const ops = Math.round(1000 / mean);
  console.log(
    `${label.padEnd(44)} p50 ${at(0.5).toFixed(3).padStart(9)} ms  p99 ${at(0.99).toFixed(3).padStart(9)} ms  ${String(ops).padStart(7)} ops/s`,
  );
}

/** A blueprint of `tiers` tiers in layers of 10, each layer depending on the one before. */
function generated(tiers: number, scriptLines = 0): string {
  const lines = [
    'apiVersion: switchyard.dev/v1',
    'kind: Blueprint',
    'metadata: { name: generated, version: 1.0.0, title: Generated }',
    'parameters:',
    '  count: { type: integer, default: 2, minimum: 1, maximum: 4 }',
    'tiers:',
  ];
  for (let i = 0; i < tiers; i++) {
    // Each tier after the first layer depends on its twin and the twin's neighbour in the layer before.
    const deps = i >= 10 ? `[t${i - 10}, t${i - 10 + (i % 10 === 9 ? -1 : 1)}]` : '[]';
    lines.push(
      `  t${i}:`,
      `    size: { cpu: ${1 + (i % 8)}, memoryMiB: ${1024 * (1 + (i % 16))}, diskGiB: 20 }`,
      `    image: { os: ubuntu, version: '22.04' }`,
      `    count: '\${params.count}'`,
      `    scale: { min: 1, max: 4 }`,
      `    dependsOn: ${deps}`,
      `    ports: [${8000 + (i % 1000)}/tcp]`,
      `    env: { PEER: '\${tiers.t${(i + 1) % tiers}.address}' }`,
    );
    if (scriptLines > 0) {
      lines.push('    init:', '      script: |');
      for (let l = 0; l < scriptLines; l++)
        lines.push(`        echo "tier ${i} step ${l} configures something" >> /var/log/setup.log`);
    }
  }
  lines.push('connections:');
  for (let i = 0; i < tiers; i++)
    lines.push(`  - { from: t${(i + 1) % tiers}, to: t${i}, ports: [${8000 + (i % 1000)}/tcp] }`);
  return lines.join('\n') + '\n';
}

const catalog = loadDemoCatalog();
const docs = catalog.map((c) => {
  const parsed = parseBlueprint(c.text, 'yaml');
  if (!parsed.ok) throw new Error(`${c.file} does not parse`);
  return { ...c, doc: parsed.blueprint as unknown as BlueprintDocument };
});
const resolveService = createServiceResolver(
  docs
    .filter((d) => d.doc.kind === 'Service')
    .map((d) => ({ version: d.doc.metadata.version, state: 'published' as const, blueprint: d.doc })),
);

function planOf(expanded: ExpandedBlueprint) {
  const declared = Object.keys(expanded.parameters);
  const params = resolveParameters(
    expanded,
    Object.fromEntries(Object.entries(SECRETS).filter(([k]) => declared.includes(k))),
  );
  return () => {
    const planned = planDeployment({
      blueprint: expanded,
      parameters: params.values,
      placement: { default: ENVIRONMENT.name },
      environments: { [ENVIRONMENT.name]: ENVIRONMENT },
    });
    if (!planned.ok) throw new Error(JSON.stringify(planned.problems));
  };
}

function load(text: string) {
  const loaded = loadBlueprint(text, 'yaml', { resolveService });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems.slice(0, 3)));
  return loaded;
}

console.log(`@switchyard/blueprints bench: ${RUNS} runs each, Node ${process.version}\n`);
console.log('validate (parse + schema + rules + expand):');
measure(`  demo catalog, all ${docs.length} files`, () => docs.forEach((d) => load(d.text)));
for (const d of docs) measure(`  ${d.file} (${(d.text.length / 1024).toFixed(1)} KiB)`, () => load(d.text));
const big = generated(TIERS);
measure(`  generated ${TIERS} tiers (${(big.length / 1024).toFixed(0)} KiB)`, () => load(big));
// The largest text the API accepts (MAX_BLUEPRINT_BYTES); fewer runs, it is heavy.
let lines = 1;
while (generated(TIERS, lines + 1).length < MAX_BLUEPRINT_BYTES * 0.98) lines++;
const max = generated(TIERS, lines);
measure(`  generated ${TIERS} tiers + scripts (${(max.length / 1024).toFixed(0)} KiB)`, () => load(max));

console.log('\nplan (instance types, costs, fabric) on one environment:');
for (const d of docs.filter((x) => x.doc.kind === 'Blueprint'))
  measure(`  ${d.file}`, planOf(load(d.text).expanded));
measure(`  generated ${TIERS} tiers`, planOf(load(big).expanded));
