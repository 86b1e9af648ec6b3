// The checks of an order's parameter values, as the API runs them, for clients that check while
// a person types (the web's order form): `@switchyard/blueprints/parameter-checks`. Pure, no
// Node API, so a browser bundle takes this alone and not the whole library.
export type { ParameterSpec, ParameterType, ParameterValue } from '../blueprint.types.js';
export { checkParameterValue } from './parameter-value.util.js';
export { patternInWords } from './pattern-words.util.js';
export { resolveParameters, type ResolvedParameters } from './resolve-parameters.util.js';
