/**
 * A closed-loop load generator for chaos tests: `concurrency` workers each send one request,
 * wait for it to settle, pause, and go again until the time is up (optionally: until enough
 * requests succeeded); then every request still in flight gets `drainMs` to settle. Every
 * request is accounted for: started = settled + hung.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import { Waits } from '@tokenwise/test-kit/server';

/** The random source workers draw pauses from (a `SeededRandom` from seeded-random.ts fits). */
export interface PauseRandom {
  fork(label: string): { int(min: number, max: number): number };
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** How long workers keep starting requests, in ms. */
  readonly durationMs: number;
  /** Workers, each with at most one request in flight. */
  readonly concurrency: number;
  /** Pauses are drawn from this source, one fork per worker. */
  readonly random: PauseRandom;
  /**
   * Sends one request and names its outcome (`'ok'`, `'http 401'`, `'ERR_TOKEN_ENDPOINT'`, …).
   * Should not throw; if it does, the outcome is `threw <name>`.
   */
  readonly send: (worker: number) => Promise<string>;
  /** Whether an outcome counts as a failure (the worker then pauses longer, like a real client). */
  readonly isFailure: (outcome: string) => boolean;
  /** Pause after a success, in ms. @default [0, 3] */
  readonly pauseMs?: readonly [number, number] | undefined;
  /** Pause after a failure, in ms. @default [5, 25] */
  readonly failurePauseMs?: readonly [number, number] | undefined;
  /** How long requests still in flight at the end may take to settle, in ms. */
  readonly drainMs: number;
  /**
   * Keep going after `durationMs` until `count` requests had `outcome`, but stop starting
   * requests after `maxDurationMs` in all: a short run that started in a bad streak of faults
   * still shows that this client recovers.
   */
  readonly atLeast?:
    | { readonly outcome: string; readonly count: number; readonly maxDurationMs: number }
    | undefined;
}

/** What {@link runLoad} observed. */
export interface LoadReport {
  readonly started: number;
  readonly settled: number;
  /** Requests that had not settled when the drain time ran out. */
  readonly hung: number;
  /** Settled requests per outcome. */
  readonly outcomes: Readonly<Record<string, number>>;
}

/**
 * Runs {@link LoadOptions.send} from `concurrency` workers for `durationMs`, then drains.
 *
 * @example
 * ```ts
 * const report = await runLoad({
 *   durationMs: 3_000, concurrency: 16, drainMs: 20_000, random,
 *   send: () => api.get('things').then(() => 'ok', classify),
 *   isFailure: (outcome) => outcome !== 'ok',
 * });
 * expect(report.hung).toBe(0);
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const [pauseMin, pauseMax] = options.pauseMs ?? [0, 3];
  const [failMin, failMax] = options.failurePauseMs ?? [5, 25];
  const outcomes: Record<string, number> = {};
  let started = 0;
  let settled = 0;
  /** The workers' pauses, ended when the run ends. */
  const pauses = new Waits();

  const start = performance.now();
  const { atLeast } = options;
  const stopAt = start + Math.max(options.durationMs, atLeast?.maxDurationMs ?? 0);
  const goOn = (): boolean => {
    const now = performance.now();
    if (now < start + options.durationMs) return true;
    return (
      atLeast !== undefined && now < stopAt && (outcomes[atLeast.outcome] ?? 0) < atLeast.count
    );
  };
  const worker = async (id: number): Promise<void> => {
    const random = options.random.fork(`worker-${id}`);
    while (goOn()) {
      started++;
      let outcome: string;
      try {
        outcome = await options.send(id);
      } catch (error) {
        outcome = `threw ${(error as Error)?.name ?? typeof error}`;
      }
      settled++;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      const failed = options.isFailure(outcome);
      await pauses.sleep(failed ? random.int(failMin, failMax) : random.int(pauseMin, pauseMax));
    }
  };
  const all = Promise.all(Array.from({ length: options.concurrency }, (_, id) => worker(id)));
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  const drained = new Promise<void>((resolve) => {
    drainTimer = setTimeout(resolve, stopAt - start + options.drainMs);
  });
  await Promise.race([all, drained]);
  clearTimeout(drainTimer);
  pauses.close();
  return { started, settled, hung: started - settled, outcomes };
}
