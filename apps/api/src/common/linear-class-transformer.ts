import type { ValidationPipeOptions } from '@nestjs/common';
import { classToPlain, TransformationType, type ClassTransformOptions } from 'class-transformer';
import { createRequire } from 'node:module';

// class-transformer's executor is not exported from its entry point; its CommonJS build is the
// one `import 'class-transformer'` loads (package.json "main"), so this is the same module, with
// the same decorator metadata.
interface Executor {
  transform(
    source: unknown,
    value: unknown,
    targetType: unknown,
    arrayType: unknown,
    isMap: unknown,
  ): unknown;
  getKeys(target: unknown, object: object, isMap: boolean): string[];
}
type ExecutorClass = new (type: TransformationType, options: ClassTransformOptions) => Executor;
const require = createRequire(import.meta.url);
const { TransformOperationExecutor } = require('class-transformer/cjs/TransformOperationExecutor.js') as {
  TransformOperationExecutor: ExecutorClass;
};
const { defaultOptions } = require('class-transformer/cjs/constants/default-options.constant.js') as {
  defaultOptions: ClassTransformOptions;
};

type TransformerPackage = NonNullable<ValidationPipeOptions['transformerPackage']>;

const CHUNK = 64;

/**
 * class-transformer's `getKeys` ends by removing duplicate keys with `indexOf` inside `filter`:
 * quadratic in an object's key count (80,000 keys took seconds). Its filters are per key, so the
 * same answer comes from calling it on slices of at most CHUNK keys and joining the slices with
 * a Set: the object's own keys that pass, in order, then the class's exposed ones not among them.
 */
export function linearKeys(original: Executor['getKeys']): Executor['getKeys'] {
  return (target, object, isMap) => {
    if (isMap || object instanceof Map) return original(target, object, isMap);
    const own = Object.keys(object);
    if (own.length <= CHUNK) return original(target, object, isMap);
    const seen = new Set<string>();
    for (let start = 0; start < own.length; start += CHUNK) {
      const slice: Record<string, true> = Object.create(null);
      for (const key of own.slice(start, start + CHUNK)) slice[key] = true;
      for (const key of original(target, slice, false)) if (key in slice) seen.add(key);
    }
    for (const key of original(target, Object.create(null), false)) seen.add(key);
    return [...seen];
  };
}

/** plainToInstance with a linear getKeys (the ValidationPipe's `transformerPackage`). */
export function plainToInstanceLinear<T>(
  cls: new () => T,
  plain: unknown,
  options?: ClassTransformOptions,
): T {
  const executor = new TransformOperationExecutor(TransformationType.PLAIN_TO_CLASS, {
    ...defaultOptions,
    ...options,
  });
  executor.getKeys = linearKeys(executor.getKeys.bind(executor));
  return executor.transform(undefined, plain, cls, undefined, undefined) as T;
}

export const LINEAR_CLASS_TRANSFORMER: TransformerPackage = {
  plainToInstance: plainToInstanceLinear as TransformerPackage['plainToInstance'],
  classToPlain,
};
