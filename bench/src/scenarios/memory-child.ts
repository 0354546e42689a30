/**
 * Runs scenario 5 for one contender, in its own process so that heaps do not mix:
 * `node --expose-gc memory-child.ts <contender name> <requests>`. Prints one JSON line
 * ({@link MemorySample}).
 *
 * @module
 */
import { contenders, type Session } from '../contenders/index.ts';
import { settledHeap } from '../heap.ts';
import { inProcessTransport } from '../in-process.ts';

/** What the child reports. Heap sizes are `heapUsed` after full collections, in bytes. */
export interface MemorySample {
  readonly contender: string;
  readonly requests: number;
  /** `heapUsed` before the measured requests, then after each quarter of them (5 values). */
  readonly heaps: readonly number[];
  /** Wall time of the measured requests, in ms. */
  readonly ms: number;
}

const concurrency = 50;
const warmup = 10_000;

async function run(session: Session, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += concurrency) {
    const batch = Math.min(concurrency, count - sent);
    const statuses = await Promise.all(
      Array.from({ length: batch }, () => session.send('api/items')),
    );
    if (statuses.some((status) => status !== 200)) throw new Error('in-process request failed');
  }
}

async function main(): Promise<void> {
  const [name, count] = process.argv.slice(2);
  const requests = Number(count);
  const contender = contenders.find((c) => c.name === name);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (contender === undefined || !Number.isInteger(requests) || gc === undefined) {
    throw new Error('usage: node --expose-gc memory-child.ts <contender> <requests>');
  }
  const session = contender.connect({
    baseUrl: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/oauth/token',
    transport: inProcessTransport(),
  });
  // One request alone first: some recipes cannot take a concurrent cold start.
  if ((await session.send('api/items')) !== 200) throw new Error('in-process request failed');
  await run(session, warmup);
  const heaps = [await settledHeap(gc)];
  let ms = 0;
  for (let quarter = 1; quarter <= 4; quarter++) {
    const started = performance.now();
    await run(
      session,
      Math.floor((requests * quarter) / 4) - Math.floor((requests * (quarter - 1)) / 4),
    );
    ms += performance.now() - started;
    heaps.push(await settledHeap(gc));
  }
  await session.close();
  const sample: MemorySample = { contender: contender.name, requests, heaps, ms };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
