/**
 * A seeded pseudo-random generator (mulberry32) for tests that replay long random sequences
 * against a reference model: the same steps at every run.
 *
 * @example
 * const random = seeded(7);
 * const key = `k${Math.floor(random() * 15)}`; // the same key at this step of every run
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
