/**
 * A small seeded pseudo-random source (mulberry32) for chaos tests: the same seed gives the same
 * sequence of decisions, so a failing run can be replayed with its seed.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */

/** Random decisions drawn from one seeded sequence. */
export interface SeededRandom {
  /** The seed this source started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One of `items`. */
  pick<T>(items: readonly T[]): T;
  /** One key of `weights`, each with a probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  /** An independent source derived from this one's seed and `label` (stable across runs). */
  fork(label: string): SeededRandom;
}

/**
 * Creates a {@link SeededRandom} from a 32-bit seed.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random.weighted({ ok: 90, fail: 10 }); // 'ok' nine times in ten, the same ones on every run
 * ```
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const random: SeededRandom = {
    seed: seed >>> 0,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick: no items');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (weights) => {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      if (!(total > 0)) throw new RangeError('weighted: the weights must add up to more than 0');
      let roll = next() * total;
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key;
      }
      return entries[entries.length - 1]?.[0] as keyof typeof weights;
    },
    fork: (label) => seededRandom(hash(`${seed >>> 0}:${label}`)),
  };
  return random;
}

/**
 * The seed of a chaos run: `CHAOS_SEED` when set (to replay a run), else a fresh one. Print it,
 * so that any run can be replayed.
 *
 * @example
 * ```ts
 * const seed = chaosSeed(); // CHAOS_SEED=1234 pnpm exec vitest run … replays seed 1234
 * ```
 */
export function chaosSeed(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const given = env.CHAOS_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff)
      throw new RangeError(`CHAOS_SEED must be an integer from 0 to 4294967295, got ${given}`);
    return seed;
  }
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** FNV-1a, enough to turn a label into a seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
