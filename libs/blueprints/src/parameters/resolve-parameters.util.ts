import type { BlueprintDocument, ExpandedBlueprint, ParameterValue } from '../blueprint.types.js';
import { joinPath, type Problem } from '../problem.types.js';
import { checkParameterValue } from './parameter-value.util.js';

export const REDACTED = '********';

type WithParameters = Pick<BlueprintDocument | ExpandedBlueprint, 'parameters'>;

export interface ResolvedParameters {
  values: Record<string, ParameterValue>;
  problems: Problem[];
}

// Problem paths are `parameters.<name>`, as in an order body's `parameters` field.
/** Checks order values against the declared parameters and fills defaults; secrets are kept. */
export function resolveParameters(
  blueprint: WithParameters,
  supplied: Readonly<Record<string, unknown>>,
): ResolvedParameters {
  const declared = blueprint.parameters ?? {};
  const values: Record<string, ParameterValue> = {};
  const problems: Problem[] = [];
  for (const name of Object.keys(supplied)) {
    if (!Object.hasOwn(declared, name)) {
      problems.push({ path: joinPath('parameters', name), message: 'is not a parameter of this blueprint' });
    }
  }
  for (const [name, spec] of Object.entries(declared)) {
    const path = joinPath('parameters', name);
    const given = Object.hasOwn(supplied, name) ? supplied[name] : undefined;
    if (given === undefined || given === null) {
      if (spec.default !== undefined) values[name] = spec.default;
      else if (spec.required === true) problems.push({ path, message: 'is required' });
      continue;
    }
    const why = checkParameterValue(spec, given);
    // Never echo a secret's value back in a message.
    if (why !== undefined) problems.push({ path, message: why });
    else values[name] = given as ParameterValue;
  }
  return { values, problems };
}

/** The same values with every secret replaced by REDACTED, for responses, logs and events. */
export function redactParameters(
  blueprint: WithParameters,
  values: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const declared = blueprint.parameters ?? {};
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const secret = Object.hasOwn(declared, name) && declared[name]?.type === 'secret';
      return [name, secret ? REDACTED : value];
    }),
  );
}
