/**
 * For unit tests: an object of type T that has only the members given, and throws on any other
 * (an unexpected call fails the test where it happens instead of returning undefined).
 */
export function strictFake<T extends object>(name: string, members: Partial<T>): T {
  return new Proxy(members, {
    get(target, prop, receiver) {
      if (Reflect.has(target, prop)) return Reflect.get(target, prop, receiver) as unknown;
      // probes of promise resolution and of printing are not calls
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      throw new Error(`unexpected use of ${name}.${prop}`);
    },
  }) as T;
}
