import { table, times, us } from './markdown.ts';
import type { BenchResults } from './results.ts';

/**
 * Section 11 of the report: the per-request cost of a DPoP proof beside a Bearer request.
 *
 * @example
 * ```ts
 * const markdown = dpopSection(results);
 * ```
 */
export function dpopSection(results: BenchResults): string {
  const { dpop } = results.settings;
  const rows = results.dpop.map((r) => [
    r.contender,
    us(r.nsPerRequest),
    r.yardstick ? '—' : us(r.overheadNs),
    r.yardstick ? '—' : `${us(r.overheadSpreadNs[0])} to ${us(r.overheadSpreadNs[1])}`,
    r.yardstick ? '1.00' : times(r.ratio),
  ]);
  return `## 11. A DPoP request beside a Bearer request

What sender-constrained tokens (DPoP, RFC 9449) cost per request: \`createAuthFetch\` of a manager
created with \`dpop: true\` signs a fresh ES256 proof (with \`ath\`, the SHA-256 of the token) with
WebCrypto for every request; the same wrapper of a Bearer manager sets one header. In-process
fetch, ${dpop.processes} fresh child processes, each with ${dpop.rounds} rotating rounds of ${dpop.batch}
sequential requests per row after ${dpop.warmup.toLocaleString('en')} warm-up requests; "added" and "×"
are the medians over all rounds of the difference to and ratio over the Bearer row in the same round.

${table(['wrapper', 'µs/request (in process)', 'µs added over Bearer', 'middle half of rounds, µs', '× Bearer'], rows)}`;
}
