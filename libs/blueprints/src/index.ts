// @switchyard/blueprints: the blueprint format, its JSON Schema, parser, validator,
// version references, parameter values and the deployment planner. Pure: no I/O
// except loadDemoCatalog, which reads the demo YAML shipped with the package.
export {
  BLUEPRINT_API_VERSION,
  type BenchmarkSpec,
  type BlueprintDocument,
  type BlueprintKind,
  type BlueprintMetadata,
  type ConnectionSpec,
  type ExpandedBlueprint,
  type ExpandedTier,
  type Loose,
  type ParameterSpec,
  type ParameterType,
  type ParameterValue,
  type ResolvedService,
  type ServiceResolver,
  type TierImage,
  type TierInit,
  type TierScale,
  type TierSize,
  type TierSpec,
  type ValidationContext,
} from './blueprint.types.js';
export { type Problem } from './problem.types.js';
export { BLUEPRINT_JSON_SCHEMA } from './schema/blueprint.schema.js';
export { type JsonSchema, type JsonType } from './schema/json-schema.types.js';
export { checkAgainstSchema, type SchemaCheckResult } from './schema/schema-check.util.js';
export {
  MAX_BLUEPRINT_BYTES,
  parseBlueprint,
  type BlueprintContentType,
  type ParseResult,
} from './parse/parse-blueprint.util.js';
export { locateProblems, type SourceMap, type SourcePosition } from './parse/source-map.util.js';
export { checkBlueprint, validateBlueprint, type CheckResult } from './validate/validate-blueprint.util.js';
export { loadBlueprint, type LoadResult } from './validate/load-blueprint.util.js';
export { findInterpolations, interpolate, type Interpolation } from './validate/interpolation.util.js';
export { resolveTierUses } from './expand/resolve-tier-uses.util.js';
export {
  createServiceResolver,
  parseReference,
  pickVersion,
  type PickOptions,
  type PickResult,
  type ReferenceResult,
  type ServiceVersion,
  type VersionEntry,
  type VersionReference,
  type VersionState,
} from './reference/version-reference.util.js';
export { checkParameterValue } from './parameters/parameter-value.util.js';
export {
  REDACTED,
  redactParameters,
  resolveParameters,
  type ResolvedParameters,
} from './parameters/resolve-parameters.util.js';
export { parseCidr, type Cidr, type CidrResult } from './net/cidr.util.js';
export { formatDecimal, MONEY_DECIMALS, parseDecimal, type Money } from './plan/money.util.js';
export { HOURS_PER_MONTH, planDeployment } from './plan/plan-deployment.util.js';
export type {
  CloudProvider,
  CostEstimate,
  MonthlySplit,
  DeploymentPlan,
  EnvironmentCatalog,
  FabricPlan,
  ImageOffer,
  InstanceTypeOffer,
  Placement,
  PlanInput,
  PlanResult,
  PolicyRulePlan,
  TierPlan,
} from './plan/plan.types.js';
export { loadDemoCatalog, type CatalogFile } from './catalog/load-demo-catalog.util.js';
