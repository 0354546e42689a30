import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, percentile } from '../stats.ts';
import type { TenantsSample } from './tenants-child.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./tenants-child.ts', import.meta.url));

/** Scenario 10 for one number of tenants. */
export interface TenantsResult {
  readonly tenants: number;
  /** Heap per tenant (registry entry, manager, its token), in bytes: the median process. */
  readonly bytesPerTenant: number;
  /** Of which the token as the manager holds it, in bytes. */
  readonly bytesPerToken: number;
  /** ns per request through the registry's `tokens` function (median round). */
  readonly nsPerRequest: number;
  /** ns per request with one manager and no `tokens` function (median round). */
  readonly nsPerRequestOneManager: number;
  /** Median over rounds of the registry's time minus one manager's in the same round, in ns. */
  readonly addedNs: number;
  /** The middle half of those differences, in ns. */
  readonly addedSpreadNs: readonly [number, number];
  /** ns per request through a plain `Map` of the same managers (median round). */
  readonly nsPerRequestPlainMap: number;
  /**
   * The registry's own part: median over rounds of the registry's time minus the plain Map's in
   * the same round, in ns, and the middle half of those differences.
   */
  readonly registryOwnNs: number;
  readonly registryOwnSpreadNs: readonly [number, number];
  /** ns per `registry.get(key)` alone, and per `Map.get(key)` of the same managers (median rounds). */
  readonly nsPerGet: number;
  readonly nsPerMapGet: number;
}

/** How scenario 10 runs. */
export interface TenantsOptions {
  /** The numbers of tenants, each measured on its own. */
  readonly tenants: readonly number[];
  /** Child processes per number of tenants. */
  readonly processes: number;
  readonly rounds: number;
  /** Sequential requests per round. */
  readonly batch: number;
}

/**
 * Scenario 10: many tenants in one process. For each number of tenants, fresh `node --expose-gc`
 * children each fill a `createTokenRegistry` with that many managers holding a token (settled heap
 * before and after, per tenant; a copy of each token measured apart), then time `createAuthFetch`
 * choosing each request's manager by its `X-Tenant-Id` header, tenants in turn, against the same
 * traffic through one manager, in alternating rounds.
 *
 * @example
 * ```ts
 * const rows = await runTenants({ tenants: [1, 100, 10_000], processes: 2, rounds: 40, batch: 250 });
 * ```
 */
export async function runTenants(
  options: TenantsOptions,
  progress: (line: string) => void = () => {},
): Promise<TenantsResult[]> {
  const results: TenantsResult[] = [];
  for (const tenants of options.tenants) {
    progress(`${tenants.toLocaleString('en')} tenants in ${options.processes} processes`);
    const samples: TenantsSample[] = [];
    for (let i = 0; i < options.processes; i++) {
      const args = [tenants, options.rounds, options.batch].map(String);
      const { stdout } = await run(process.execPath, ['--expose-gc', child, ...args], {
        maxBuffer: 1 << 20,
      });
      samples.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as TenantsSample);
    }
    const registry = samples.flatMap((s) => s.registryRounds);
    const one = samples.flatMap((s) => s.oneManagerRounds);
    const plain = samples.flatMap((s) => s.plainMapRounds);
    const added = registry.map((ns, i) => ns - (one[i] ?? ns));
    const own = registry.map((ns, i) => ns - (plain[i] ?? ns));
    results.push({
      tenants,
      bytesPerTenant: median(samples.map((s) => s.bytesPerTenant)),
      bytesPerToken: median(samples.map((s) => s.bytesPerToken)),
      nsPerRequest: median(registry),
      nsPerRequestOneManager: median(one),
      addedNs: median(added),
      addedSpreadNs: [percentile(added, 25), percentile(added, 75)],
      nsPerRequestPlainMap: median(plain),
      registryOwnNs: median(own),
      registryOwnSpreadNs: [percentile(own, 25), percentile(own, 75)],
      nsPerGet: median(samples.flatMap((s) => s.getRounds)),
      nsPerMapGet: median(samples.flatMap((s) => s.mapGetRounds)),
    });
  }
  return results;
}
