// The blueprint format as written by people (see specs/blueprints.md).

export const BLUEPRINT_API_VERSION = 'switchyard.dev/v1';

export type BlueprintKind = 'Blueprint' | 'Service';

export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'secret' | 'cidr';

export type ParameterValue = string | number | boolean;

export interface BlueprintMetadata {
  name: string;
  version: string;
  title: string;
  description?: string;
  category?: string;
  tags?: string[];
  owner?: string;
}

export interface ParameterSpec {
  type: ParameterType;
  /** What a person reads beside the field; without it, a label is made from the name. */
  label?: string;
  description?: string;
  required?: boolean;
  default?: ParameterValue;
  minimum?: number;
  maximum?: number;
  values?: string[];
  pattern?: string;
}

export interface TierSize {
  cpu: number;
  memoryMiB: number;
  diskGiB?: number;
}

export interface TierImage {
  os: string;
  version: string;
}

export interface TierScale {
  min: number;
  max: number;
}

export interface TierInit {
  packages?: string[];
  script?: string;
}

export interface TierSpec {
  uses?: string;
  // Partial only when the tier `uses` a Service (the Service supplies the rest).
  size?: Partial<TierSize>;
  image?: TierImage;
  count?: number | string;
  scale?: TierScale;
  dependsOn?: string[];
  ports?: string[];
  init?: TierInit;
  env?: Record<string, string>;
}

export interface ConnectionSpec {
  from: string;
  to: string;
  // Omitted means every port and protocol.
  ports?: string[];
}

export interface BenchmarkSpec {
  target: string;
  http: { path: string; requests: number; concurrency: number };
}

export interface BlueprintDocument {
  apiVersion: typeof BLUEPRINT_API_VERSION;
  kind: BlueprintKind;
  metadata: BlueprintMetadata;
  parameters?: Record<string, ParameterSpec>;
  tiers: Record<string, TierSpec>;
  connections?: ConnectionSpec[];
  benchmark?: BenchmarkSpec;
  outputs?: Record<string, string>;
}

export interface ExpandedTier {
  name: string;
  // The Service this tier was built from, if any.
  uses?: { name: string; version: string };
  size: TierSize;
  image: TierImage;
  count: number | string;
  scale?: TierScale;
  dependsOn: string[];
  ports: string[];
  init: TierInit;
  env: Record<string, string>;
}

export interface ExpandedBlueprint {
  apiVersion: typeof BLUEPRINT_API_VERSION;
  kind: BlueprintKind;
  metadata: BlueprintMetadata;
  parameters: Record<string, ParameterSpec>;
  tiers: Record<string, ExpandedTier>;
  connections: ConnectionSpec[];
  benchmark?: BenchmarkSpec;
  outputs: Record<string, string>;
}

export interface ResolvedService {
  name: string;
  version: string;
  blueprint: BlueprintDocument;
}

export type ServiceResolver = (name: string, range: string) => ResolvedService | undefined;

export interface ValidationContext {
  resolveService: ServiceResolver;
}

// What a partly invalid document looks like after its invalid values were dropped.
export type Loose<T> = T extends string | number | boolean
  ? T
  : T extends readonly (infer U)[]
    ? (Loose<U> | undefined)[]
    : { [K in keyof T]?: Loose<T[K]> };
