import type { Loose, ParameterSpec } from '../blueprint.types.js';
import { checkParameterValue } from '../parameters/parameter-value.util.js';
import { compilePattern } from '../parameters/pattern.util.js';
import { joinPath, type Problem } from '../problem.types.js';

const NUMERIC = new Set(['integer', 'number']);
const TEXTUAL = new Set(['string', 'secret']);

export function checkParameterDeclarations(
  parameters: Loose<Record<string, ParameterSpec>> | undefined,
  problems: Problem[],
): void {
  for (const [name, spec] of Object.entries(parameters ?? {})) {
    if (spec?.type === undefined) continue;
    const path = joinPath('parameters', name);
    const at = (field: string, message: string): void => {
      problems.push({ path: joinPath(path, field), message });
    };
    const { type } = spec;
    if (type === 'enum' && spec.values === undefined) at('values', 'is required for an enum parameter');
    if (type !== 'enum' && spec.values !== undefined) at('values', 'only applies to enum parameters');
    for (const bound of ['minimum', 'maximum'] as const) {
      const limit = spec[bound];
      if (limit === undefined) continue;
      if (!NUMERIC.has(type)) at(bound, 'only applies to integer and number parameters');
      else if (type === 'integer' && !Number.isSafeInteger(limit)) at(bound, 'must be an integer');
    }
    if (spec.minimum !== undefined && spec.maximum !== undefined && spec.minimum > spec.maximum) {
      at('minimum', `must not be greater than maximum (${spec.minimum} > ${spec.maximum})`);
    }
    if (spec.pattern !== undefined) {
      const compiled = compilePattern(spec.pattern);
      if (!TEXTUAL.has(type)) at('pattern', 'only applies to string and secret parameters');
      else if (!compiled.ok) at('pattern', compiled.message);
    }
    if (spec.default === undefined) continue;
    if (type === 'secret') {
      // Blueprint texts are readable by everyone who may order them.
      at('default', 'a secret parameter cannot have a default');
      continue;
    }
    const why = checkParameterValue(spec, spec.default);
    if (why !== undefined) at('default', `default ${why}`);
  }
}
