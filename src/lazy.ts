// A class that loads its module on first use, so the package root stays cheap to import:
// `new IPRoute()` loads rtnl, and nothing else is loaded until asked for.
import { createRequire } from 'node:module';

const requireModule = createRequire(import.meta.url);

/**
 * A stand-in for `exportName` of `path` (relative to this file): constructing it, reading
 * its statics, `instanceof` and `extends` all reach the real class, loaded synchronously
 * on first use.
 */
export function lazyClass<C extends abstract new (...args: any[]) => any>(path: string, exportName: string): C {
  let real: C | undefined;
  const load = (): C => {
    if (!real) {
      const mod = requireModule(path) as Record<string, unknown>;
      const cls = mod[exportName];
      if (typeof cls !== 'function') throw new Error(`nlroute: ${path} has no export ${exportName}`);
      real = cls as C;
    }
    return real;
  };
  const stub = function () {
    /* replaced by the real class */
  } as unknown as C;
  const proxy: C = new Proxy(stub, {
    construct: (_t, args, newTarget) =>
      Reflect.construct(load() as any, args, newTarget === proxy ? load() : newTarget),
    apply: () => {
      throw new TypeError(`Class constructor ${exportName} cannot be invoked without 'new'`);
    },
    get: (_t, key) => (key === 'name' ? exportName : Reflect.get(load(), key)),
    has: (_t, key) => Reflect.has(load(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  });
  return proxy;
}
