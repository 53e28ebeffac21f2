/**
 * A small in-process limiter for the public lookup: at most `max` tries per key in a
 * sliding minute (by address, and by dossier code so one code cannot be guessed at
 * from many addresses).
 */
export function createThrottle(max: number, windowMs = 60_000, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  return {
    /** Counts a try; returns the seconds to wait when over the limit, else 0. */
    hit(key: string): number {
      const t = now();
      const list = (hits.get(key) ?? []).filter((x) => x > t - windowMs);
      if (list.length >= max) {
        hits.set(key, list);
        return Math.max(1, Math.ceil((list[0]! + windowMs - t) / 1000));
      }
      list.push(t);
      hits.set(key, list);
      if (hits.size > 50_000) for (const k of [...hits.keys()].slice(0, 10_000)) hits.delete(k);
      return 0;
    },
  };
}
