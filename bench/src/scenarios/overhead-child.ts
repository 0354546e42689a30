/**
 * Times the contenders of one client in process, in a fresh process so that figures do not depend
 * on what ran before (JIT state, heap): `node overhead-child.ts <client> <warmup> <rounds> <batch>`.
 * Prints one JSON line: {@link TimedContender}[].
 *
 * @module
 */
import { type ClientName, contenders, references, type Session } from '../contenders/index.ts';
import { inProcessTransport } from '../in-process.ts';
import type { TimedContender } from '../rounds.ts';

/** Sends `count` requests one after the other; resolves to the elapsed ns. Throws on a non-200. */
async function sequential(session: Session, count: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const status = await session.send('api/items');
    if (status !== 200) throw new Error(`in-process request answered ${status}`);
  }
  return Number(process.hrtime.bigint() - started);
}

async function main(): Promise<void> {
  const [client, ...numbers] = process.argv.slice(2);
  const [warmup = 0, rounds = 0, batch = 0] = numbers.map(Number);
  const family = [...contenders, ...references].filter((c) => c.client === (client as ClientName));
  if (family.length === 0 || !(rounds > 0 && batch > 0)) {
    throw new Error('usage: node overhead-child.ts <client> <warmup> <rounds> <batch>');
  }
  const transport = inProcessTransport();
  const entries = family.map((contender) => ({
    contender,
    session: contender.connect({
      baseUrl: 'http://127.0.0.1:9',
      tokenUrl: 'http://127.0.0.1:9/oauth/token',
      transport,
    }),
    rounds: [] as number[],
  }));
  for (const { session } of entries) await sequential(session, warmup);
  // Short rounds in a rotating order: a round's contenders run within milliseconds of each other,
  // so that drift in the machine's speed and GC hit them alike and their difference stands.
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(i + round) % entries.length];
      if (entry) entry.rounds.push((await sequential(entry.session, batch)) / batch);
    }
  }
  await Promise.all(entries.map(({ session }) => session.close()));
  const timed: TimedContender[] = entries.map(({ contender, rounds }) => ({
    contender: contender.name,
    rounds,
  }));
  process.stdout.write(`${JSON.stringify(timed)}\n`);
}

await main();
