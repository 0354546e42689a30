import { overheadGoalUs } from './chart.ts';
import { clientOf, floorOf, kindOf } from './contenders/index.ts';
import { percent, times, us } from './markdown.ts';
import { costLosses } from './report-costs.ts';
import { type BenchResults, lateGrowthPerRequest } from './results.ts';
import type { MemorySample } from './scenarios/memory.ts';
import type { OverheadResult } from './scenarios/overhead.ts';
import { costTargets, meetsRatio, roundTripShareGoal } from './targets.ts';

/**
 * The section "Where tokenwise loses in this run", from the figures themselves: every missed goal,
 * and every figure on which an alternative does better.
 *
 * @example
 * ```ts
 * const markdown = lossesSection(results);
 * ```
 */
export function lossesSection(results: BenchResults): string {
  const lines: string[] = [];
  for (const row of results.overhead.filter((o) => o.kind === 'tokenwise')) {
    const share = row.overheadNs / row.roundTripNs;
    const rivals = results.overhead.filter((o) => o.client === row.client && o.kind === 'anchor');
    const best = rivals.sort((a, b) => a.overheadNs - b.overheadNs)[0];
    const reference = costliestReference(results, row.client);
    if (row.overheadNs >= overheadGoalUs * 1000 || share > roundTripShareGoal) {
      lines.push(
        `- **Overhead, ${row.contender}**: ${us(row.overheadNs)} µs per request over bare ${row.client} (${percent(share)} of a loopback round trip)${best ? `; ${best.contender} adds ${us(best.overheadNs)} µs` : ''}.${reference ? ` ${row.client} itself charges ${us(reference.overheadNs)} µs for doing what the adapter needs of it (${reference.contender}); ${ownWork(row.overheadNs - reference.overheadNs)}.` : ''}`,
      );
    } else if (best && best.overheadNs < row.overheadNs) {
      lines.push(
        `- **Overhead, ${row.contender}**: ${us(row.overheadNs)} µs per request, more than ${best.contender} (${us(best.overheadNs)} µs), within the goal.`,
      );
    }
  }
  for (const row of results.overhead) {
    if (
      row.kind !== 'tokenwise' ||
      row.client === 'fetch' ||
      meetsRatio(row.ratio, costTargets.adapterRatio)
    ) {
      continue;
    }
    const reference = costliestReference(results, row.client);
    lines.push(
      `- **${row.contender} against bare ${row.client}**: ${times(row.ratio)} the bare client's time per request (target ≤ ${times(costTargets.adapterRatio)})${reference ? `; ${reference.contender}, without tokenwise, is ${times(reference.ratio)}` : ''}.`,
    );
  }
  lines.push(...costLosses(results));
  const steadyTokenwise = results.steady.filter((s) => kindOf(s.contender) === 'tokenwise');
  const steadyAnchors = results.steady.filter((s) => kindOf(s.contender) === 'anchor');
  const mostTokenwise = Math.max(0, ...steadyTokenwise.map((s) => s.tokenRequests));
  const mostAnchor = Math.max(0, ...steadyAnchors.map((s) => s.tokenRequests));
  if (mostTokenwise > mostAnchor) {
    lines.push(
      `- **Token requests under steady traffic** (scenario 3): up to ${mostTokenwise} for tokenwise against up to ${mostAnchor} for the alternatives. tokenwise renews ahead of expiry (for a ${results.settings.steady.lifetimeSeconds} s token, from half its lifetime on), so nobody waits; the others renew on expiry or on a 401, and their callers wait.`,
    );
  }
  const plateauOf = (m: MemorySample): number => (m.heaps[1] ?? 0) - (m.heaps[0] ?? 0);
  for (const m of results.memory.filter((s) => kindOf(s.contender) === 'tokenwise')) {
    const floorName = floorOf(clientOf(m.contender)).name;
    const floor = results.memory.find((s) => s.contender === floorName);
    // A plateau the bare client shows too is the client's (its caches), not tokenwise's.
    const plateau = plateauOf(m) - Math.max(0, floor ? plateauOf(floor) : 0);
    if (plateau > 2 ** 20) {
      lines.push(
        `- **Memory, ${m.contender}**: a one-off ${(plateau / 2 ** 20).toFixed(1)} MiB plateau in the first quarter beyond the bare client's (${lateGrowthPerRequest(m).toFixed(2)} B/request after it).`,
      );
    }
  }
  return `## Where tokenwise loses in this run

${lines.length === 0 ? 'Nowhere: every goal is met and no alternative does better on any figure.' : lines.join('\n')}`;
}

/**
 * The reference of `client` that costs most: the client doing the most of what an adapter needs
 * of it (its hooks, a header set in them, room for a retry), without any token layer.
 */
function costliestReference(results: BenchResults, client: string): OverheadResult | undefined {
  return results.overhead
    .filter((o) => o.client === client && o.kind === 'reference')
    .sort((a, b) => b.overheadNs - a.overheadNs)[0];
}

/** tokenwise's own share of an adapter's overhead, `ns` over its client's reference. */
function ownWork(ns: number): string {
  return ns > 0
    ? `tokenwise's own work is the other ${us(ns)} µs`
    : "tokenwise's own work is within this run's noise (the reference took as long)";
}
