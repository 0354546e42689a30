/**
 * The figures of a chaos run, as printed for the record (the long run's are quoted in the
 * report): requests and outcomes per adapter, token requests and tokens against their bounds per
 * client, what the token endpoint and the API answered, and the background errors.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import type { ChaosClientStats, ChaosServer } from './chaos-server.ts';
import type { InstrumentedAdapter } from './instrumented-adapters.ts';
import type { LoadReport } from './load.ts';
import type { TokenRequestBound } from './token-request-bound.ts';

/**
 * One adapter's share of a run: its load report, the server's counts and its bound.
 *
 * @example
 * ```ts
 * const row: ChaosRow = { adapter, report, stats: server.stats.get(adapter.clientId)!, bound };
 * ```
 */
export interface ChaosRow {
  readonly adapter: InstrumentedAdapter;
  readonly report: LoadReport;
  readonly stats: ChaosClientStats;
  readonly bound: TokenRequestBound;
}

/**
 * What {@link describeChaosRun} prints.
 *
 * @example
 * ```ts
 * const run: ChaosRun = { seed, seconds: 3, activeMs, concurrency: 12, rows, server, background: 0, unhandled: 0 };
 * ```
 */
export interface ChaosRun {
  readonly seed: number;
  /** The load's duration, in seconds. */
  readonly seconds: number;
  /** The load and the drain, in ms. */
  readonly activeMs: number;
  /** Workers per adapter. */
  readonly concurrency: number;
  readonly rows: readonly ChaosRow[];
  readonly server: Pick<ChaosServer, 'tokenFaultCounts' | 'apiAnswers'>;
  /** Errors the managers reported through `onError`. */
  readonly background: number;
  readonly unhandled: number;
}

/**
 * The run's figures as text: two tables, then one line each for the token endpoint, the API and
 * the background errors.
 *
 * @example
 * ```ts
 * console.log(describeChaosRun({ seed, seconds, activeMs, concurrency, rows, server, background: 0, unhandled: 0 }));
 * ```
 */
export function describeChaosRun(run: ChaosRun): string {
  const { rows } = run;
  const outcomeNames = [
    ...new Set(rows.flatMap(({ report }) => Object.keys(report.outcomes))),
  ].sort();
  return [
    `chaos: seed ${run.seed}, ${run.seconds} s of load (${(run.activeMs / 1000).toFixed(1)} s with the drain), ${run.concurrency} workers per adapter`,
    table([
      ['adapter', 'requests', 'hung', ...outcomeNames],
      ...rows.map(({ adapter, report }) => [
        adapter.name,
        report.started,
        report.hung,
        ...outcomeNames.map((name) => report.outcomes[name] ?? 0),
      ]),
    ]),
    table([
      [
        'client',
        'token requests',
        'bound',
        'tokens issued',
        'tokens used',
        'bound',
        'refused tokens',
        'API sends',
        'sent expired',
      ],
      ...rows.map(({ adapter, stats, bound }) => [
        adapter.clientId,
        stats.tokenRequests,
        bound.attempts,
        stats.issued,
        adapter.sends.tokens.size,
        bound.successfulExchanges,
        stats.refused.size,
        adapter.sends.total,
        adapter.sends.expired,
      ]),
    ]),
    `token endpoint: ${describeCounts(run.server.tokenFaultCounts)}`,
    `API answers: ${describeCounts(run.server.apiAnswers)}`,
    `background errors (onError): ${run.background}, all typed; unhandled rejections: ${run.unhandled}`,
  ].join('\n');
}

function describeCounts(record: Readonly<Record<string, number>>): string {
  return Object.entries(record)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

/** Right-aligned columns, the first left-aligned. */
function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => String(row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0
            ? String(cell).padEnd(widths[column] ?? 0)
            : String(cell).padStart(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}
