import { fanOutContenders } from './contenders/index.ts';
import { bytes, mark, table, times, us } from './markdown.ts';
import { emptyPackages } from './packed-project.ts';
import type { BenchResults } from './results.ts';
import type { BundleSize } from './scenarios/costs.ts';
import type { FanOutResult } from './scenarios/fan-out.ts';
import type { ObservabilityMode } from './scenarios/observability.ts';

/** The rows of scenario 12. */
const observabilityLabels: Record<ObservabilityMode, string> = {
  unused: 'unused (no onEvent, no subscriber)',
  onEvent: '`onEvent` set',
  diagnostics_channel: 'diagnostics_channel subscriber',
};

import type { IdleHeap } from './scenarios/idle-heap.ts';
import { costTargets, meetsRatio } from './targets.ts';

const bg = '@badgateway/oauth2-client';
const [, tokenwiseFetch, badgatewayFetch] = fanOutContenders;

function sizeOf(
  results: BenchResults,
  library: string,
  withFetch: boolean,
): BundleSize | undefined {
  return results.costs.sizes.find((s) => s.library === library && s.withFetch === withFetch);
}

function heapOf(results: BenchResults, library: string, withFetch: boolean): IdleHeap | undefined {
  return results.costs.idleHeap.find((h) => h.library === library && h.withFetch === withFetch);
}

function importMs(results: BenchResults, packageName: string): number | undefined {
  return results.costs.coldImports.find((i) => i.packageName === packageName)?.medianMs;
}

function fanOutOf(
  results: BenchResults,
  managers: number,
  contender: string,
): FanOutResult | undefined {
  return results.fanOut.find((r) => r.managers === managers && r.contender === contender);
}

function managersLabel(managers: number): string {
  return managers === 1 ? '1 manager' : `${managers.toLocaleString('en')} managers in turn`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/**
 * The cost goals of the "Toward 1.0" issue (scenarios 8 and 9), tokenwise's figure marked against
 * the target, `@badgateway/oauth2-client`'s beside it.
 *
 * @example
 * ```ts
 * const markdown = costGoalsTable(results);
 * ```
 */
export function costGoalsTable(results: BenchResults): string {
  const rows: string[][] = [];
  for (const withFetch of [false, true]) {
    const own = sizeOf(results, 'tokenwise', withFetch);
    const other = sizeOf(results, bg, withFetch);
    const target = withFetch ? costTargets.bundleBytes.withFetch : costTargets.bundleBytes.manager;
    rows.push([
      `(8) min+gz, ${withFetch ? '+ createAuthFetch' : 'createTokenManager + clientCredentials'}`,
      own ? mark(own.bytes <= target, bytes(own.bytes)) : '—',
      other ? `${bytes(other.bytes)} (${other.imports.join(' + ')})` : '—',
      `≤ ${bytes(target)}`,
    ]);
  }
  const ownImport = importMs(results, '@tokenwise/core');
  const otherImport = importMs(results, bg);
  rows.push([
    '(8) cold import of `@tokenwise/core`',
    ownImport === undefined || otherImport === undefined
      ? '—'
      : mark(ownImport <= otherImport, `${ms(ownImport)} (${times(ownImport / otherImport)})`),
    otherImport === undefined ? '—' : ms(otherImport),
    `≤ ${bg}`,
  ]);
  for (const withFetch of [false, true]) {
    const own = heapOf(results, 'tokenwise', withFetch);
    const other = heapOf(results, bg, withFetch);
    const target = withFetch
      ? costTargets.idleHeapBytes.withFetch
      : costTargets.idleHeapBytes.manager;
    rows.push([
      `(8) idle heap per manager${withFetch ? ', with createAuthFetch' : ''}`,
      own ? mark(own.bytesPerManager <= target, bytes(own.bytesPerManager)) : '—',
      other ? `${bytes(other.bytesPerManager)}${withFetch ? ' (with OAuth2Fetch)' : ''}` : '—',
      `≤ ${bytes(target)}`,
    ]);
  }
  for (const [managers, target] of costTargets.fetchRatioByManagers) {
    const own = fanOutOf(results, managers, tokenwiseFetch.name);
    const other = fanOutOf(results, managers, badgatewayFetch.name);
    rows.push([
      `(9) createAuthFetch per request over a hand-written wrapper, ${managersLabel(managers)}`,
      own ? mark(meetsRatio(own.ratio, target), times(own.ratio)) : '—',
      other ? `${times(other.ratio)} (OAuth2Fetch)` : '—',
      `≤ ${times(target)}`,
    ]);
  }
  return table(['goal', 'tokenwise', bg, 'target'], rows);
}

/**
 * The lines of "Where tokenwise loses" for scenarios 8 and 9: every missed target, and every
 * figure on which `@badgateway/oauth2-client` does better within the target.
 *
 * @example
 * ```ts
 * lines.push(...costLosses(results));
 * ```
 */
export function costLosses(results: BenchResults): string[] {
  const lines: string[] = [];
  const verdict = (met: boolean, target: string): string =>
    met ? 'within the target' : `target ${target}`;
  for (const withFetch of [false, true]) {
    const own = sizeOf(results, 'tokenwise', withFetch);
    const other = sizeOf(results, bg, withFetch);
    const target = withFetch ? costTargets.bundleBytes.withFetch : costTargets.bundleBytes.manager;
    if (own === undefined || other === undefined) continue;
    if (own.bytes > target || own.bytes > other.bytes) {
      lines.push(
        `- **Bundle size, ${own.imports.join(' + ')}**: ${bytes(own.bytes)} min+gz (${verdict(own.bytes <= target, `≤ ${bytes(target)}`)}); ${bg}'s ${other.imports.join(' + ')}: ${bytes(other.bytes)}.`,
      );
    }
  }
  const ownImport = importMs(results, '@tokenwise/core');
  const otherImport = importMs(results, bg);
  if (ownImport !== undefined && otherImport !== undefined && ownImport > otherImport) {
    const withExports = importMs(results, emptyPackages.exportsMap);
    const mainOnly = importMs(results, emptyPackages.mainOnly);
    const floors =
      withExports === undefined || mainOnly === undefined
        ? ''
        : ` An empty package takes ${ms(withExports)} found through an \`exports\` map (as \`@tokenwise/core\` is) and ${ms(mainOnly)} through \`main\` only (as ${bg} is); above those floors, tokenwise takes ${ms(ownImport - withExports)} and ${bg} ${ms(otherImport - mainOnly)}.`;
    lines.push(
      `- **Cold import**: \`@tokenwise/core\` takes ${ms(ownImport)} against ${ms(otherImport)} for ${bg} (${times(ownImport / otherImport)}; target ≤ ${bg}).${floors}`,
    );
  }
  for (const withFetch of [false, true]) {
    const own = heapOf(results, 'tokenwise', withFetch);
    const other = heapOf(results, bg, withFetch);
    const target = withFetch
      ? costTargets.idleHeapBytes.withFetch
      : costTargets.idleHeapBytes.manager;
    if (own === undefined || other === undefined) continue;
    if (own.bytesPerManager > target || own.bytesPerManager > other.bytesPerManager) {
      lines.push(
        `- **Idle heap per manager${withFetch ? ' with createAuthFetch' : ''}**: ${bytes(own.bytesPerManager)} (${verdict(own.bytesPerManager <= target, `≤ ${bytes(target)}`)}); ${bg}${withFetch ? ' with OAuth2Fetch' : ''}: ${bytes(other.bytesPerManager)}.`,
      );
    }
  }
  for (const [managers, target] of costTargets.fetchRatioByManagers) {
    const own = fanOutOf(results, managers, tokenwiseFetch.name);
    const other = fanOutOf(results, managers, badgatewayFetch.name);
    if (own === undefined) continue;
    const met = meetsRatio(own.ratio, target);
    const beaten = other !== undefined && other.ratio < own.ratio;
    if (!met || beaten) {
      lines.push(
        `- **createAuthFetch, ${managersLabel(managers)}**: ${times(own.ratio)} the hand-written wrapper's time per request, ${us(own.overheadNs)} µs more (${verdict(met, `≤ ${times(target)}`)})${other ? `; OAuth2Fetch: ${times(other.ratio)}` : ''}.`,
      );
    }
  }
  return lines;
}

/**
 * Sections 8 and 9 of the report.
 *
 * @example
 * ```ts
 * const markdown = costSections(results);
 * ```
 */
export function costSections(results: BenchResults): string {
  const { costs, settings } = results;
  const sizeRows = costs.sizes.map((s) => [
    s.library,
    s.imports.map((name) => `\`${name}\``).join(', '),
    bytes(s.bytes),
    s.lazyBytes > 0 ? bytes(s.lazyBytes) : '—',
  ]);
  const bgImport = importMs(results, bg) ?? 0;
  const importRows = costs.coldImports.map((i) => [
    `\`${i.packageName}\``,
    ms(i.medianMs),
    `${ms(i.spreadMs[0])} to ${ms(i.spreadMs[1])}`,
    bgImport > 0 ? times(i.medianMs / bgImport) : '—',
  ]);
  const heapRows = costs.idleHeap.map((h) => [
    h.setup,
    bytes(h.bytesPerManager),
    `${bytes(h.rangeBytes[0])} to ${bytes(h.rangeBytes[1])}`,
  ]);
  const fanOutRows = results.fanOut.map((r) => [
    managersLabel(r.managers),
    r.contender,
    us(r.nsPerRequest),
    r.yardstick ? '—' : us(r.overheadNs),
    r.yardstick ? '—' : `${us(r.overheadSpreadNs[0])} to ${us(r.overheadSpreadNs[1])}`,
    r.yardstick ? '1.00' : times(r.ratio),
  ]);
  const importFloors = costs.coldImports.some((i) => i.packageName === emptyPackages.mainOnly)
    ? `
The two empty packages (one module exporting one constant) are the floors: what Node spends to
resolve, read and link a package found through an \`exports\` map, as \`@tokenwise/core\` is,
and through \`main\` only, as ${bg} is.
`
    : '';
  const heap = settings.costs.idleHeap;
  const fan = settings.fanOut;
  return `## 8. What it costs

What holding tokenwise costs an application, beside ${bg}: the bytes its bundle gains, the time
to import the package in a fresh process, and the heap an idle manager holding a token keeps.
All three are taken on the packed \`@tokenwise/core\` (see Method).

### Bundle size (minified, tree-shaken, gzipped)

${table(['library', 'imports', 'min+gz, loaded at start', 'min+gz, chunks loaded on first use'], sizeRows)}

"Loaded at start" is what the bundle's entry and its static imports hold; the chunks loaded on
first use are in the bundle too but are imported only when they are needed. For tokenwise, the
renewal code (the token endpoint client, about 7.2 KB of these) loads with the process's first
token request; the JWT client-assertion signing, \`clientAuth: 'auto'\`, the store operations and
DPoP load only for an application that uses them. The goals compare the bytes loaded at start.

### Cold import (${settings.costs.importRuns} fresh processes per package)

${table(['package', 'median', 'middle half of runs', `× ${bg}`], importRows)}
${importFloors}
### Idle heap per manager (${heap.steps} batches of ${heap.perStep.toLocaleString('en')}, after ${heap.warmup} warm-up managers)

${table(['setup', 'per manager (median batch)', 'lowest to highest batch'], heapRows)}

## 9. createAuthFetch against a hand-written wrapper

\`createAuthFetch\` per request against the least a hand-written wrapper does (look the token up
in a \`Map\`, \`new Headers\`, set \`Authorization\`, call fetch), ${bg}'s
\`OAuth2Fetch\` beside them, with one manager and with ${fan.managers
    .filter((m) => m > 1)
    .map((m) => m.toLocaleString('en'))
    .join(', ')} managers used in turn (a
multi-tenant service: one manager and wrapper per tenant, so that a tenant's state is no longer in
the CPU's caches). In-process fetch, timed as scenario 4: ${fan.processes} fresh child processes per number of
managers, each with ${fan.rounds} rotating rounds of ${fan.batch} sequential requests per contender after a
warm-up of at least two passes over the managers; "added" and "× hand-written" are the medians
over all rounds of the difference to and ratio over the wrapper's time in the same round.

${table(['managers', 'contender', 'µs/request (in process)', 'µs added over hand-written', 'middle half of rounds, µs', '× hand-written'], fanOutRows)}`;
}

/**
 * The Method bullets of scenarios 8 and 9.
 *
 * @example
 * ```ts
 * const markdown = costMethod();
 * ```
 */
export function costMethod(): string {
  return `- **Packed packages** (scenario 8): \`pnpm pack\` of \`@tokenwise/core\` (its built \`dist/\`),
  extracted into \`node_modules\` of a temp project as a package manager installs it, beside the
  bench's installed ${bg} (it has no dependencies); nothing is downloaded.
- **Bundle size**: as size-limit (\`@size-limit/preset-small-lib\`) measures it: an entry
  \`import { … } from '<package>'; console.log(…)\` bundled by rolldown with minification and
  tree-shaking, gzipped at level 9, minus the entry's own 34 bytes; the figures for tokenwise equal
  \`size-limit\`'s on the same \`dist/\`. Packages resolve as for Node (\`exports\`, then \`main\`;
  ${bg}'s \`browser\` field points at a prebuilt bundle of everything), Node's built-ins external.
- **Cold import**: \`node --input-type=module -e\` in the temp project, timing
  \`await import('<package>')\` with \`performance.now()\` inside the process (resolution, reading,
  compiling and evaluating; not Node's own start-up); compile cache and \`NODE_OPTIONS\` cleared,
  the four packages (the two libraries and the two empty ones) taking turns, one discarded run
  each first.
- **Idle heap**: one \`node --expose-gc\` process per setup, importing the packages from the temp
  project; every manager gets its token from the in-process token endpoint (a 16-character token)
  and is kept, with its wrapper after one request through it; shared client settings. \`heapUsed\` after full collections between batches; the
  figure is the median batch's growth over its managers.`;
}

/**
 * Scenario 12: what observability costs per request (unobserved, `onEvent`, a channel subscriber).
 *
 * @example
 * ```ts
 * const markdown = observabilitySection(results);
 * ```
 */
export function observabilitySection(results: BenchResults): string {
  const { settings } = results;
  const observe = settings.observability;
  const observabilityRows = results.observability.map((r) => [
    observabilityLabels[r.mode],
    us(r.nsPerRequest),
    us(r.overheadNs),
    `${us(r.overheadSpreadNs[0])} to ${us(r.overheadSpreadNs[1])}`,
    times(r.ratio),
  ]);
  return `## 12. What observability costs per request

tokenwise fetch with one manager, timed as in scenario 9 against the hand-written wrapper, in
fresh processes per row (${observe.processes} each, ${observe.rounds} rounds of ${observe.batch} requests): its managers
unobserved, with an \`onEvent\` function, and with a subscriber on every \`tokenwise:<type>\`
diagnostics channel (both doing nothing with the event). Observed, each request served from the
cache builds one \`token.cache_hit\` event; unobserved, none is built.

${table(['observability', 'µs/request (in process)', 'µs added over hand-written', 'middle half of rounds, µs', '× hand-written'], observabilityRows)}`;
}
