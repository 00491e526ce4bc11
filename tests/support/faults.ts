/** The faults a test injects into one stand-in: each is taken by the requests it matches, `times` times (once by default). */
export interface Faults<F> {
  inject(fault: F): void;
  clear(): void;
  /** The first fault that matches, counted as used once. */
  take(matches: (fault: F) => boolean): F | undefined;
}

export function createFaults<F extends { times?: number }>(): Faults<F> {
  let faults: { fault: F; left: number }[] = [];
  return {
    inject(fault) {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    clear() {
      faults = [];
    },
    take(matches) {
      const entry = faults.find(({ fault }) => matches(fault));
      if (!entry) return undefined;
      entry.left -= 1;
      if (entry.left <= 0) faults = faults.filter((other) => other !== entry);
      return entry.fault;
    },
  };
}

/** The usual match: the fault's method and path pattern, either left out meaning any. */
export function onRequest(method: string, path: string) {
  return (fault: { method?: string; path?: RegExp }) =>
    (fault.method === undefined || fault.method.toUpperCase() === method) &&
    (fault.path === undefined || fault.path.test(path));
}
