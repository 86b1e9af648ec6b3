// The API's contract as the CLI calls it: paths, parameters, bodies and answers come from the
// types generated from the OpenAPI document (`npm run -w apps/web gen:api`), shared with the web.
import type { components, paths } from '@switchyard/web/api-schema';

/** The contract's named schemas: `Schemas['CloudAccountDto']`, `Schemas['ContivNetwork']`, … */
export type Schemas = components['schemas'];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Every path of the contract with an operation for `M`. */
export type PathOf<M extends Method> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never;
}[keyof paths];

type Operation<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;
type OperationParams<O> = O extends { parameters: infer X } ? X : never;
type PathParams<O> = OperationParams<O> extends { path: infer X } ? X : undefined;
type QueryParams<O> = OperationParams<O> extends { query?: infer X } ? NonNullable<X> : never;
type Content<R, A> = R extends { content: infer C } ? (A extends keyof C ? C[A] : unknown) : unknown;
type Successes<R> = R[Extract<keyof R, 200 | 201 | 202 | 204>];

/** The body of a request: any of the content types the operation takes (JSON, or YAML text). */
export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: infer C } } ? C[keyof C] : never;

/** A media type a client may ask for; JSON unless it says otherwise. */
export type Accept = 'application/json' | 'application/yaml' | 'text/event-stream';

/** The answer of a successful call in the media type asked for; `unknown` where the contract has no schema. */
export type AnswerOf<P extends keyof paths, M extends Method, A extends Accept = 'application/json'> =
  Operation<P, M> extends { responses: infer R } ? Content<Successes<R>, A> : unknown;

/** The `{name}` parts of a path template. */
export type PathParamsOf<P extends keyof paths, M extends Method> = PathParams<Operation<P, M>>;

/**
 * Query parameters by the contract's names. Values may be the text a user typed: the API checks
 * them and names a bad one, as it does for any client.
 */
export type QueryOf<P extends keyof paths, M extends Method> = {
  [K in keyof QueryParams<Operation<P, M>>]?: QueryParams<Operation<P, M>>[K] | string;
};

/** A field's value as typed by the contract, or as a user wrote it: text, or an object from a file. */
type Raw<V> =
  V | string | (NonNullable<V> extends object ? Record<string, unknown> | Record<string, unknown>[] : never);

/**
 * A body as the CLI sends it: the contract's fields, each as typed there or as a user wrote it,
 * any of them left out. The API checks every field and names a bad or missing one.
 */
export type Sendable<B> = B extends string ? B : { [K in keyof B]?: Raw<B[K]> };

export interface CallOptions<P extends keyof paths, M extends Method, A extends Accept> {
  /** The answer's media type (the Accept header). */
  accept?: A;
  query?: QueryOf<P, M>;
  body?: Sendable<BodyOf<P, M>>;
  headers?: Record<string, string>;
  /** netctl's form of a URL: `/netmaster/api/v1/networks/default:net1/`. */
  trailingSlash?: boolean;
}

/** The options of a call: `path` (the template's values) is required where the template has any. */
export type CallArgs<P extends keyof paths, M extends Method, A extends Accept> =
  PathParamsOf<P, M> extends undefined
    ? [options?: CallOptions<P, M, A> & { path?: undefined }]
    : [options: CallOptions<P, M, A> & { path: PathParamsOf<P, M> }];

/** A path template filled in: `/api/v1/deployments/{id}` with `{id}` → `/api/v1/deployments/4f1c…`. */
export function fillPath(template: string, values: Record<string, unknown> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

/** `?a=1&b=x` from query values; undefined values are left out. */
export function queryString(query: Record<string, unknown> = {}): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) q.set(name, String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
