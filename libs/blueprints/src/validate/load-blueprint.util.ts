import type { BlueprintDocument, ExpandedBlueprint, ValidationContext } from '../blueprint.types.js';
import { parseBlueprint, type BlueprintContentType } from '../parse/parse-blueprint.util.js';
import { locateProblems, type SourceMap } from '../parse/source-map.util.js';
import type { Problem } from '../problem.types.js';
import { checkBlueprint } from './validate-blueprint.util.js';

export type LoadResult =
  | { ok: true; blueprint: BlueprintDocument; expanded: ExpandedBlueprint; sourceMap: SourceMap }
  | { ok: false; problems: Problem[] };

/** parseBlueprint + checkBlueprint, with line:column added to each problem. */
export function loadBlueprint(
  text: string,
  contentType: BlueprintContentType,
  context: ValidationContext,
): LoadResult {
  const parsed = parseBlueprint(text, contentType);
  if (!parsed.ok) return parsed;
  const checked = checkBlueprint(parsed.blueprint, context);
  if (!checked.ok) return { ok: false, problems: locateProblems(checked.problems, parsed.sourceMap) };
  return { ...checked, sourceMap: parsed.sourceMap };
}
