/**
 * Times scenario 11 in a fresh process: `node dpop-child.ts <warmup> <rounds> <batch>`. Two
 * `createAuthFetch` wrappers on in-process fetch, one of a Bearer manager, one of a DPoP manager
 * (`dpop: true`: an ES256 proof signed with WebCrypto for every request), sending sequential
 * requests in short rotating rounds. Prints one JSON line: {@link TimedContender}[].
 *
 * @module
 */
import { clientCredentials, createAuthFetch, createTokenManager } from '@tokenwise/core';
import { inProcessTransport } from '../in-process.ts';
import type { TimedContender } from '../rounds.ts';
import { dpopRows } from './dpop.ts';

const baseUrl = 'http://127.0.0.1:9';

/** A wrapper of a manager whose token endpoint answers in process, DPoP-bound or not. */
function wrapper(dpop: boolean) {
  const transport = inProcessTransport();
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: `${baseUrl}/oauth/token`,
      clientId: 'bench',
      clientSecret: 'bench-secret',
    }),
    ...(dpop ? { dpop: true as const } : {}),
    fetch: async () =>
      Response.json({
        access_token: 'in-process-token',
        token_type: dpop ? 'DPoP' : 'Bearer',
        expires_in: 3600,
      }),
  });
  const authedFetch = createAuthFetch({ tokens, fetch: transport.fetch });
  return {
    tokens,
    async send(count: number): Promise<number> {
      const started = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        const res = await authedFetch(`${baseUrl}/api/items`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`in-process request answered ${res.status}`);
      }
      return Number(process.hrtime.bigint() - started);
    },
  };
}

async function main(): Promise<void> {
  const [warmup = 0, rounds = 0, batch = 0] = process.argv.slice(2).map(Number);
  if (!(rounds > 0 && batch > 0))
    throw new Error('usage: node dpop-child.ts <warmup> <rounds> <batch>');
  const entries = [
    { name: dpopRows.bearer, client: wrapper(false), rounds: [] as number[] },
    { name: dpopRows.dpop, client: wrapper(true), rounds: [] as number[] },
  ];
  for (const { client } of entries) await client.send(Math.max(warmup, 1));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(i + round) % entries.length];
      if (entry) entry.rounds.push((await entry.client.send(batch)) / batch);
    }
  }
  await Promise.all(entries.map(({ client }) => client.tokens.close()));
  const timed: TimedContender[] = entries.map(({ name, rounds }) => ({ contender: name, rounds }));
  process.stdout.write(`${JSON.stringify(timed)}\n`);
}

await main();
