import type { Machine } from './machine.ts';
import type { BurstsResult } from './scenarios/bursts.ts';
import type { CostsOptions, CostsResult } from './scenarios/costs.ts';
import type { DpopOptions, DpopResult } from './scenarios/dpop.ts';
import type { FanOutOptions, FanOutResult } from './scenarios/fan-out.ts';
import type { MemorySample } from './scenarios/memory.ts';
import type { ObservabilityOptions, ObservabilityResult } from './scenarios/observability.ts';
import type { OverheadResult } from './scenarios/overhead.ts';
import type { RejectingApiResult } from './scenarios/rejecting-api.ts';
import type { SteadyOptions, SteadyResult } from './scenarios/steady.ts';
import type { StoreDownResult } from './scenarios/store-down.ts';
import type { TenantsOptions, TenantsResult } from './scenarios/tenants.ts';

/** Everything one `pnpm bench` run measured, and how. */
export interface BenchResults {
  readonly machine: Machine;
  /** Wall time of the whole run, in seconds. */
  readonly seconds: number;
  readonly settings: {
    /** Concurrent requests in scenarios 1 and 2. */
    readonly concurrency: number;
    /** Delay of the token endpoint, in ms. */
    readonly tokenDelayMs: number;
    readonly steady: SteadyOptions;
    /** Traffic duration of the bare clients in scenario 3 (they have no expiry to cross), in ms. */
    readonly floorSteadyMs: number;
    readonly overhead: {
      readonly processes: number;
      readonly rounds: number;
      readonly batch: number;
    };
    /** Sequential, then concurrent requests to distinct URLs in scenario 6. */
    readonly rejecting: { readonly sequential: number; readonly concurrent: number };
    /** Concurrent callers in scenario 7. */
    readonly storeDownCallers: number;
    readonly costs: CostsOptions;
    readonly fanOut: FanOutOptions;
    readonly tenants: TenantsOptions;
    readonly dpop: DpopOptions;
    readonly observability: ObservabilityOptions;
    /** The command line that produced the results, e.g. `pnpm bench -- --full`. */
    readonly command: string;
  };
  readonly bursts: readonly BurstsResult[];
  readonly steady: readonly SteadyResult[];
  readonly overhead: readonly OverheadResult[];
  readonly memory: readonly MemorySample[];
  readonly rejectingApi: readonly RejectingApiResult[];
  readonly storeDown: StoreDownResult;
  readonly costs: CostsResult;
  readonly fanOut: readonly FanOutResult[];
  readonly tenants: readonly TenantsResult[];
  readonly dpop: readonly DpopResult[];
  readonly observability: readonly ObservabilityResult[];
}

/**
 * A heap that grows less than this per request after the first quarter is flat: below the noise
 * of a 100,000-request run, and far below what retaining anything per request costs (an object
 * and its map entry take tens of bytes).
 */
export const flatBytesPerRequest = 2;

/**
 * Heap growth per request after the first quarter of a memory run, in bytes: the highest later
 * reading minus the first-quarter one, over the last three quarters' requests. The first quarter
 * may fill bounded caches (a one-off plateau); a leak keeps growing after it.
 *
 * @example
 * ```ts
 * lateGrowthPerRequest({ contender: 'x', requests: 400, heaps: [0, 500, 800, 600, 500], ms: 1 }); // 1
 * ```
 */
export function lateGrowthPerRequest(sample: MemorySample): number {
  const afterFirstQuarter = sample.heaps[1] ?? 0;
  const highest = Math.max(...sample.heaps.slice(2));
  return (highest - afterFirstQuarter) / (sample.requests * 0.75);
}
