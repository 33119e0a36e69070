import { z } from 'zod';

const REAL = Symbol('lazySchema.real');

/**
 * A schema built on first use instead of when its module is evaluated. The workflow sandbox
 * evaluates our modules again for every workflow it creates or replays (only preloaded libraries
 * are shared), and most of our schemas (progress, payloads, the health contract, the tenant file)
 * are read by the API and the app, never by a run: built eagerly they cost each new workflow
 * their construction time and their memory for as long as it stays cached (BENCHMARKS.md, the
 * engine and open profiles).
 *
 * The answer stands in for the schema everywhere: property reads go to the built schema, with
 * methods bound to it (so zod's prototype methods see the schema itself, not this stand-in), and
 * its metadata is registered for the stand-in too, so z.toJSONSchema and `.description` read it.
 */
export function lazySchema<T extends z.ZodType>(make: () => T): T {
  let real: T | undefined;
  // Bound once per method, kept with the function it binds (a schema may replace one of its own).
  const bound = new Map<PropertyKey, { of: unknown; fn: unknown }>();
  const build = (): T => {
    if (real) return real;
    real = make();
    const meta = z.globalRegistry.get(real);
    if (meta) z.globalRegistry.add(stand, meta);
    return real;
  };
  const stand: T = new Proxy(Object.create(null) as T, {
    get(_, key) {
      if (key === REAL) return build();
      const target = build();
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const known = bound.get(key);
      if (known?.of === value) return known.fn;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      bound.set(key, { of: value, fn });
      return fn;
    },
    has: (_, key) => Reflect.has(build(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(build()),
  });
  return stand;
}

/** The schema behind a lazySchema (itself for any other), e.g. to compare identities. */
export function builtSchema<T extends z.ZodType>(schema: T): T {
  return ((schema as unknown as Record<symbol, T | undefined>)[REAL] ?? schema) as T;
}
