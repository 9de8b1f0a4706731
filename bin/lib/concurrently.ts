// The simulation's concurrency (issue 17): API decisions sent side by side, with what they answered read back in a
// fixed order, so a seed gives the same figures however the calls interleave.
import { Semaphore } from 'async-mutex';

/** At most `n` of the calls given it running at once; the rest wait their turn (async-mutex's semaphore, as the import uses). */
export function limit(n: number) {
  const slots = new Semaphore(n);
  return <T>(f: () => Promise<T>): Promise<T> => slots.runExclusive(f);
}

/**
 * Applies `decide` to every item through `inFlight` (a limit shared by all callers), never two items of one key at
 * once (two decisions on one pathway would race in its workflow): a key's later items wait for a later round, in the
 * order given. Answers in the items' order, whatever order the calls finish in.
 */
export async function concurrently<T, R>(inFlight: ReturnType<typeof limit>, items: T[], key: (t: T) => string,
  decide: (t: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let pending = items.map((_, i) => i);
  while (pending.length) {
    const seen = new Set<string>();
    const now: number[] = []; const later: number[] = [];
    for (const i of pending) {
      const k = key(items[i]);
      if (seen.has(k)) later.push(i); else { seen.add(k); now.push(i); }
    }
    await Promise.all(now.map((i) => inFlight(() => decide(items[i])).then((r) => { results[i] = r; })));
    pending = later;
  }
  return results;
}
