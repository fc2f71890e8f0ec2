// Loads every protocol's message classes into the registry, for the decoder and CLI.
// Each protocol registers its classes when its schema module is imported.
const modules = [
  '../rtnl/index.js',
  '../genl/index.js',
  '../taskstats/index.js',
  '../ipset/index.js',
  '../nl80211/index.js',
  '../ipvs/index.js',
];

let loaded: Promise<void> | undefined;

/** Import all protocol modules once. */
export function loadProtocols(): Promise<void> {
  loaded ??= (async () => {
    for (const m of modules) {
      try {
        await import(m);
      } catch (e) {
        // A build may leave a protocol out; the others still decode.
        if (
          (e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' ||
          !String((e as Error).message).includes(m.slice(3))
        )
          throw e;
      }
    }
  })();
  return loaded;
}
