import type { BlueprintDocument, Loose, ParameterSpec } from '../blueprint.types.js';
import type { Problem } from '../problem.types.js';
import { findInterpolations } from './interpolation.util.js';

export interface RuleContext {
  doc: Loose<BlueprintDocument>;
  params: ReadonlyMap<string, Loose<ParameterSpec>>;
  tierNames: ReadonlySet<string>;
  problems: Problem[];
}

export interface RefOptions {
  allowTiers: boolean;
  // Outputs are shown to every reader of the deployment.
  forbidSecrets?: boolean;
  prefix?: string;
}

export function checkReferences(ctx: RuleContext, value: string, path: string, options: RefOptions): void {
  const prefix = options.prefix ?? '';
  const report = (message: string): void => {
    ctx.problems.push({ path, message: `${prefix}${message}` });
  };
  for (const ref of findInterpolations(value)) {
    if (ref.kind === 'malformed') {
      report(`${ref.text} is not a valid reference (use \${params.name} or \${tiers.name.address})`);
    } else if (ref.kind === 'param') {
      const spec = ctx.params.get(ref.name);
      if (spec === undefined) report(`${ref.text} names no declared parameter`);
      else if (options.forbidSecrets === true && spec.type === 'secret') {
        report(`${ref.text} is a secret and cannot appear here`);
      }
    } else if (!options.allowTiers) {
      report(`${ref.text}: tier addresses cannot be used here`);
    } else if (!ctx.tierNames.has(ref.name)) {
      report(`${ref.text} names no tier`);
    }
  }
}
