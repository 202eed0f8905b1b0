import { Internal } from "./errors";

/**
 * A table that shared machinery reads (payments: what a purpose does with the money; live: who may
 * follow a topic) and that the domains above it fill, through the composition root
 * (server/composition.ts), so the machinery never imports the domains that use it.
 *
 * The entries live on globalThis under `globalKey`, not in this module: Next.js bundles
 * instrumentation (the start-up, which loads the composition before any request), route handlers
 * and pages into separate chunks, each with its own copy of this module, and what one registers
 * every other must see. Registering a key again replaces its entry: the composition runs once per
 * chunk that imports it (and again on a dev server's hot reload), each time with the same code.
 */
export interface Registry<K extends string, V> {
  register(key: K, value: V): void;
  /** The entry for `key`; an Internal error naming it when nothing is registered for it. */
  get(key: K): V;
  /** The keys registered so far in this process. */
  keys(): K[];
}

/**
 * A registry of `what` (as in "payment purpose", for the error message) kept on globalThis under
 * `globalKey` (a `driftwood…` name, like the database's).
 */
export function globalRegistry<K extends string, V>(globalKey: `driftwood${string}`, what: string): Registry<K, V> {
  const table = () => {
    const store = globalThis as unknown as Record<string, Map<K, V> | undefined>;
    return (store[globalKey] ??= new Map<K, V>());
  };
  return {
    register(key, value) {
      table().set(key, value);
    },
    get(key) {
      const value = table().get(key);
      if (value === undefined) {
        // Never a default: an unregistered purpose would lose money, an unregistered topic kind
        // would be open to anyone. Loud, so the entry point that forgot the composition is found.
        throw new Internal(
          `Nothing is registered for the ${what} "${key}": the composition root (server/composition.ts) was not loaded in this ` +
            "process, or it does not register this one. Import it from the entry point (start-up, worker, route handler, script, test set-up).",
        );
      }
      return value;
    },
    keys() {
      return [...table().keys()];
    },
  };
}
