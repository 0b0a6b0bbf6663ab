/**
 * A page's chunk that the page's entry (boot.ts) may start downloading before React has loaded.
 * `load` is for React.lazy: once the chunk has arrived it answers with a thenable that resolves
 * on the spot, so the first render draws the page instead of suspending on an import that is
 * already done (a suspended page shows the fallback, then waits for React's next retry).
 * React-free: boot.ts imports it without the console.
 */
export interface PreloadablePage<M> {
  load: () => Promise<M>;
  preload: () => void;
}

export function preloadable<M>(importer: () => Promise<M>): PreloadablePage<M> {
  let loaded: { module: M } | undefined;
  let loading: Promise<M> | undefined;
  const start = () =>
    (loading ??= importer().then(
      (module) => {
        loaded = { module };
        return module;
      },
      (error: unknown) => {
        // A failed download (offline) is tried again by the next render.
        loading = undefined;
        throw error;
      },
    ));
  return {
    load: () => {
      if (!loaded) return start();
      const { module } = loaded;
      const settled: PromiseLike<M> = { then: (onFulfilled) => Promise.resolve(onFulfilled ? onFulfilled(module) : (module as never)) };
      // React.lazy calls only `then`; a real promise would call it back a microtask later, after the render has suspended.
      return settled as Promise<M>;
    },
    preload: () => void start().catch(() => undefined),
  };
}
