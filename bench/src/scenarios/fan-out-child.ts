/**
 * Times scenario 9 in a fresh process: `node fan-out-child.ts <managers> <warmup> <rounds> <batch>`.
 * Each contender gets `managers` sessions (a manager and a wrapper each, as a multi-tenant
 * application holds them) and sends its requests to them in turn. Prints one JSON line:
 * {@link TimedContender}[].
 *
 * Scenario 12 adds a fifth argument, an {@link ObservabilityMode}: only the hand-written wrapper
 * and tokenwise fetch run, tokenwise's managers observed that way for the whole process.
 *
 * @module
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { tokenEventTypes } from '@tokenwise/core/adapter';
import { fanOutContenders, type Session } from '../contenders/index.ts';
import { inProcessTransport } from '../in-process.ts';
import type { TimedContender } from '../rounds.ts';
import { isObservabilityMode, type ObservabilityMode } from './observability.ts';

/** Sessions used in turn, the turn carried over from one call to the next. */
class RoundRobin {
  readonly sessions: readonly Session[];
  private next = 0;

  constructor(sessions: readonly Session[]) {
    this.sessions = sessions;
  }

  /** Sends `count` requests one after the other, each to the next session; resolves to the ns. */
  async send(count: number): Promise<number> {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const session = this.sessions[this.next] as Session;
      this.next = (this.next + 1) % this.sessions.length;
      const status = await session.send('api/items');
      if (status !== 200) throw new Error(`in-process request answered ${status}`);
    }
    return Number(process.hrtime.bigint() - started);
  }
}

async function main(): Promise<void> {
  const [managers = 0, warmup = 0, rounds = 0, batch = 0] = process.argv.slice(2).map(Number);
  const mode = process.argv[6];
  if (
    !(managers > 0 && rounds > 0 && batch > 0) ||
    !(mode === undefined || isObservabilityMode(mode))
  ) {
    throw new Error('usage: node fan-out-child.ts <managers> <warmup> <rounds> <batch> [mode]');
  }
  const transport = inProcessTransport();
  const target = {
    baseUrl: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/oauth/token',
    transport,
    ...observe(mode),
  };
  const [handWritten, tokenwiseFetch] = fanOutContenders;
  const timedHere = mode === undefined ? fanOutContenders : [handWritten, tokenwiseFetch];
  const entries = timedHere.map((contender) => ({
    contender,
    turns: new RoundRobin(Array.from({ length: managers }, () => contender.connect(target))),
    rounds: [] as number[],
  }));
  // Every session gets its token in the first pass; then the code is warm.
  for (const { turns } of entries) await turns.send(Math.max(warmup, 2 * managers));
  // Short rounds in a rotating order, as in scenario 4: drift and GC hit the contenders alike.
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(i + round) % entries.length];
      if (entry) entry.rounds.push((await entry.turns.send(batch)) / batch);
    }
  }
  await Promise.all(entries.flatMap(({ turns }) => turns.sessions.map((s) => s.close())));
  const timed: TimedContender[] = entries.map(({ contender, rounds }) => ({
    contender: contender.name,
    rounds,
  }));
  process.stdout.write(`${JSON.stringify(timed)}\n`);
}

/** Observes every manager of the process as `mode` says; the target's part of it. */
function observe(mode: ObservabilityMode | undefined): { onEvent?: (event: unknown) => void } {
  const ignore = (): void => {};
  if (mode === 'onEvent') return { onEvent: ignore };
  if (mode === 'diagnostics_channel')
    for (const type of tokenEventTypes) diagnosticsChannel.subscribe(`tokenwise:${type}`, ignore);
  return {};
}

await main();
