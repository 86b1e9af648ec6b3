// The tier graph: an edge tier → dependency for each dependsOn entry.
export type TierGraph = ReadonlyMap<string, readonly string[]>;

export interface TierCycle {
  // e.g. ['db', 'app', 'db']
  tiers: string[];
  // The dependsOn entry of tiers[0] that starts the cycle.
  dependsOnIndex: number;
}

export function findCycles(graph: TierGraph): TierCycle[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: TierCycle[] = [];
  const visit = (tier: string): void => {
    state.set(tier, 'open');
    stack.push(tier);
    for (const dep of graph.get(tier) ?? []) {
      if (!graph.has(dep)) continue;
      const seen = state.get(dep);
      if (seen === 'open') {
        const tiers = [...stack.slice(stack.indexOf(dep)), dep];
        const [first = dep, second = dep] = tiers;
        cycles.push({ tiers, dependsOnIndex: (graph.get(first) ?? []).indexOf(second) });
      } else if (seen === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(tier, 'done');
  };
  for (const tier of graph.keys()) if (!state.has(tier)) visit(tier);
  return cycles;
}

// Stage of a tier = length of its longest dependency chain, so a tier always comes
// after everything it depends on, and tiers sharing a stage have no path between them.
export function dependencyStages(graph: TierGraph): string[][] {
  const depth = new Map<string, number>();
  const measure = (tier: string, guard: Set<string>): number => {
    const known = depth.get(tier);
    if (known !== undefined) return known;
    if (guard.has(tier)) throw new Error(`dependency cycle through ${tier}`);
    guard.add(tier);
    const deps = (graph.get(tier) ?? []).filter((dep) => graph.has(dep));
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((dep) => measure(dep, guard)));
    guard.delete(tier);
    depth.set(tier, value);
    return value;
  };
  const stages: string[][] = [];
  for (const tier of graph.keys()) {
    const stage = measure(tier, new Set());
    while (stages.length <= stage) stages.push([]);
    stages[stage]?.push(tier);
  }
  return stages;
}
