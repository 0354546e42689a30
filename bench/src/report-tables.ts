import { type ClientName, clientOf, kindOf } from './contenders/index.ts';
import { percent, table, times, us } from './markdown.ts';
import { type BenchResults, flatBytesPerRequest, lateGrowthPerRequest } from './results.ts';
import type { MemorySample } from './scenarios/memory.ts';

/**
 * Scenario 1 or 2 (`which` burst): token requests, successes and API calls per contender.
 *
 * @example
 * ```ts
 * const markdown = burstTable(results, 'cold');
 * ```
 */
export function burstTable(results: BenchResults, which: 'cold' | 'revoked'): string {
  const rows = results.bursts
    .filter((b) => kindOf(b.contender) !== 'floor')
    .map((b) => {
      const burst = b[which];
      return [
        b.contender,
        String(burst.tokenRequests),
        `${burst.succeeded}/${burst.requests}`,
        String(burst.apiCalls),
        (burst.apiCalls / burst.requests).toFixed(2),
      ];
    });
  return table(
    ['contender', 'token requests', 'succeeded', 'API calls', 'API calls per request'],
    rows,
  );
}

/**
 * Scenario 6: what an API that rejects every token costs each contender.
 *
 * @example
 * ```ts
 * const markdown = rejectingTable(results);
 * ```
 */
export function rejectingTable(results: BenchResults): string {
  const rows = results.rejectingApi.map((r) => {
    const requests = r.sequential + r.concurrent;
    return [
      r.contender,
      String(r.tokenRequests),
      `${r.unauthorized}/${requests}`,
      String(r.apiCalls),
      (r.apiCalls / requests).toFixed(2),
      `${(r.ms / requests).toFixed(1)} ms`,
    ];
  });
  return table(
    [
      'contender',
      'token requests',
      'answered 401',
      'API calls',
      'API calls per request',
      'time per request',
    ],
    rows,
  );
}

/**
 * Scenario 7: tokenwise with a shared store that never answers.
 *
 * @example
 * ```ts
 * const markdown = storeDownTable(results);
 * ```
 */
export function storeDownTable(results: BenchResults): string {
  const r = results.storeDown;
  return table(
    ['callers', 'got a token', 'token requests', 'store timeout', 'last caller settled after'],
    [
      [
        String(r.callers),
        `${r.settledWithToken}/${r.callers}`,
        String(r.tokenRequests),
        `${r.storeTimeoutMs} ms`,
        `${r.ms.toFixed(0)} ms`,
      ],
    ],
  );
}

/**
 * Scenario 3: waits, token requests and latency, with ratios to the bare client.
 *
 * @example
 * ```ts
 * const markdown = steadyTable(results);
 * ```
 */
export function steadyTable(results: BenchResults): string {
  const floorOf = (client: ClientName) =>
    results.steady.find((s) => kindOf(s.contender) === 'floor' && clientOf(s.contender) === client);
  const rows = results.steady.map((s) => {
    const floor = floorOf(clientOf(s.contender));
    const ratio = (value: number, base: number | undefined): string =>
      base === undefined || base === 0 ? '—' : times(value / base);
    const floorRow = kindOf(s.contender) === 'floor';
    return [
      s.contender,
      String(s.requests),
      `${s.succeeded}/${s.requests}`,
      floorRow ? '—' : `${s.waited}${s.raceWaited === undefined ? '' : ` (race: ${s.raceWaited})`}`,
      floorRow ? '—' : String(s.tokenRequests),
      s.p50Ms.toFixed(2),
      s.p99Ms.toFixed(2),
      floorRow ? '—' : ratio(s.p50Ms, floor?.p50Ms),
      floorRow ? '—' : ratio(s.p99Ms, floor?.p99Ms),
    ];
  });
  return table(
    [
      'contender',
      'requests',
      'succeeded',
      'waited on token endpoint',
      'token requests',
      'p50 ms',
      'p99 ms',
      'p50 × bare',
      'p99 × bare',
    ],
    rows,
  );
}

/**
 * Scenario 4: time per request in process, and what each contender adds over its bare client.
 *
 * @example
 * ```ts
 * const markdown = overheadTable(results);
 * ```
 */
export function overheadTable(results: BenchResults): string {
  const rows = results.overhead.map((o) => {
    const floorRow = o.kind === 'floor';
    return [
      o.contender,
      us(o.nsPerRequest),
      floorRow ? '—' : us(o.overheadNs),
      floorRow ? '—' : `${us(o.overheadSpreadNs[0])} to ${us(o.overheadSpreadNs[1])}`,
      floorRow ? '1.00' : times(o.ratio),
      us(o.roundTripNs),
      floorRow ? '—' : percent(o.overheadNs / o.roundTripNs),
    ];
  });
  return table(
    [
      'contender',
      'µs/request (in process)',
      'µs added over bare',
      'middle half of rounds, µs',
      '× bare',
      'loopback round trip µs',
      'added / round trip',
    ],
    rows,
  );
}

/**
 * Scenario 5: heap growth by quarter, and the verdict.
 *
 * @example
 * ```ts
 * const markdown = memoryTable(results);
 * ```
 */
export function memoryTable(results: BenchResults): string {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)}`;
  const rows = results.memory.map((m: MemorySample) => {
    const base = m.heaps[0] ?? 0;
    const late = lateGrowthPerRequest(m);
    return [
      m.contender,
      m.requests.toLocaleString('en'),
      (base / 2 ** 20).toFixed(1),
      m.heaps
        .slice(1)
        .map((heap) => kib(heap - base))
        .join(' / '),
      late.toFixed(2),
      late < flatBytesPerRequest ? 'flat' : 'grows',
    ];
  });
  return table(
    [
      'contender',
      'requests',
      'heap before MiB',
      'growth after ¼ / ½ / ¾ / all, KiB',
      'B/request after ¼',
      'verdict',
    ],
    rows,
  );
}
