/**
 * `pnpm bench`: measures tokenwise beside the libraries users would pick instead, and writes
 * `docs/benchmarks.md` and `docs/benchmarks.svg`.
 *
 * Options: `--full` sends 1,000,000 requests per contender in scenario 5 (about five minutes
 * more on two cores) and takes more samples in scenarios 8 and 9; the default sends 100,000, so
 * that the whole run stays within about three minutes on two cores.
 *
 * `--only overhead,costs,fan-out,tenants,dpop,observability` runs just those scenarios (any of
 * them, comma-separated) and prints their results as JSON instead of writing the report: a quick
 * check while working on one cost. The report is only ever written from a whole run.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderOverheadChart } from './chart.ts';
import { contenders } from './contenders/index.ts';
import { describeMachine } from './machine.ts';
import { renderReport } from './report.ts';
import type { BenchResults } from './results.ts';
import { runBursts } from './scenarios/bursts.ts';
import { runCosts } from './scenarios/costs.ts';
import { runDpop } from './scenarios/dpop.ts';
import { runFanOut } from './scenarios/fan-out.ts';
import { runMemory } from './scenarios/memory.ts';
import { runObservability } from './scenarios/observability.ts';
import { runOverhead } from './scenarios/overhead.ts';
import { runRejectingApi } from './scenarios/rejecting-api.ts';
import { runSteady, type SteadyOptions } from './scenarios/steady.ts';
import { runStoreDown } from './scenarios/store-down.ts';
import { runTenants } from './scenarios/tenants.ts';
import { startBenchServer } from './server.ts';

const { values: flags } = parseArgs({
  options: { full: { type: 'boolean', default: false }, only: { type: 'string' } },
  strict: true,
});

const settings = {
  concurrency: 200,
  tokenDelayMs: 50,
  steady: { lifetimeSeconds: 2, durationMs: 6_500, tickMs: 10, perTick: 2 } as SteadyOptions,
  floorSteadyMs: 2_000,
  rejecting: { sequential: 20, concurrent: 50 },
  storeDownCallers: 100,
  overhead: { processes: 3, warmup: 5_000, rounds: 80, batch: 250, roundTrips: 400 },
  costs: {
    importRuns: flags.full ? 100 : 30,
    idleHeap: { perStep: flags.full ? 4_000 : 1_000, steps: 5, warmup: 500 },
  },
  fanOut: {
    managers: [1, 10_000],
    processes: flags.full ? 3 : 2,
    warmup: 5_000,
    rounds: flags.full ? 100 : 60,
    batch: 250,
  },
  tenants: {
    tenants: [1, 100, 10_000],
    processes: flags.full ? 3 : 2,
    rounds: flags.full ? 80 : 40,
    batch: 250,
  },
  dpop: { processes: 2, warmup: 2_000, rounds: flags.full ? 80 : 40, batch: 100 },
  observability: {
    processes: flags.full ? 3 : 2,
    warmup: 5_000,
    rounds: flags.full ? 100 : 60,
    batch: 250,
  },
  command: flags.full ? 'pnpm bench -- --full' : 'pnpm bench',
};
const memoryRequests = flags.full ? 1_000_000 : 100_000;

const started = performance.now();
const log = (line: string): void => {
  const at = ((performance.now() - started) / 1000).toFixed(0).padStart(4);
  process.stdout.write(`[${at} s] ${line}\n`);
};

const timedScenarios = {
  overhead: () => runOverhead(server, settings.overhead, (line) => log(`overhead ${line}`)),
  costs: () => runCosts(settings.costs, (line) => log(`costs    ${line}`)),
  'fan-out': () => runFanOut(settings.fanOut, (line) => log(`fan-out  ${line}`)),
  tenants: () => runTenants(settings.tenants, (line) => log(`tenants  ${line}`)),
  dpop: () => runDpop(settings.dpop, (line) => log(`dpop     ${line}`)),
  observability: () => runObservability(settings.observability, (line) => log(`observe  ${line}`)),
};

const server = await startBenchServer({ tokenDelayMs: settings.tokenDelayMs });
try {
  if (flags.only !== undefined) {
    const names = flags.only.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(name in timedScenarios));
    if (unknown.length > 0) {
      throw new TypeError(
        `--only: unknown scenario ${unknown.join(', ')}; one of ${Object.keys(timedScenarios).join(', ')}`,
      );
    }
    const results: Record<string, unknown> = {};
    for (const name of names)
      results[name] = await timedScenarios[name as keyof typeof timedScenarios]();
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    process.exit(0);
  }
  const bursts = [];
  const steady = [];
  const rejectingApi = [];
  for (const contender of contenders) {
    log(`${contender.name}: ${settings.concurrency} cold requests, then a revocation`);
    bursts.push(await runBursts(contender, server, settings.concurrency));
    log(`${contender.name}: steady traffic`);
    steady.push(
      await runSteady(contender, server, {
        ...settings.steady,
        durationMs:
          contender.kind === 'floor' ? settings.floorSteadyMs : settings.steady.durationMs,
      }),
    );
    if (contender.kind === 'floor') continue;
    log(`${contender.name}: an API that rejects every token`);
    rejectingApi.push(await runRejectingApi(contender, server, settings.rejecting));
  }

  log(`tokenwise: ${settings.storeDownCallers} callers with a store that never answers`);
  const storeDown = await runStoreDown(server, settings.storeDownCallers);

  // Two children at a time (heaps are per process); nothing timed runs meanwhile.
  log(`memory: ${memoryRequests.toLocaleString('en')} requests per contender, two at a time`);
  const memory = await runMemory(
    contenders.map((c) => ({ name: c.name, requests: memoryRequests })),
    { parallel: 2, progress: (line) => log(`memory   ${line}`) },
  );

  log('per-request overhead');
  const overhead = await timedScenarios.overhead();

  // Timed alone too, after everything else.
  log('what it costs: bundle size, cold import, idle heap');
  const costs = await timedScenarios.costs();
  log('createAuthFetch against a hand-written wrapper');
  const fanOut = await timedScenarios['fan-out']();
  log('many tenants: a registry and a tokens function');
  const tenants = await timedScenarios.tenants();
  log('a DPoP request beside a Bearer request');
  const dpop = await timedScenarios.dpop();
  log('what observability costs per request');
  const observability = await timedScenarios.observability();

  const results: BenchResults = {
    machine: describeMachine(),
    seconds: (performance.now() - started) / 1000,
    settings,
    bursts,
    steady,
    overhead,
    memory,
    rejectingApi,
    storeDown,
    costs,
    fanOut,
    tenants,
    dpop,
    observability,
  };
  const docs = new URL('../../docs/', import.meta.url);
  mkdirSync(docs, { recursive: true });
  writeFileSync(new URL('benchmarks.md', docs), renderReport(results));
  writeFileSync(new URL('benchmarks.svg', docs), renderOverheadChart(overhead));
  log('wrote docs/benchmarks.md and docs/benchmarks.svg');
} finally {
  await server.close();
}
