/**
 * The manager never hands out a token inside its leeway, nor one the server has expired,
 * whatever the policy, lifetime, round trip, traffic, 401s and endpoint failures: generated
 * traffic against an injected fetch and a manual clock.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { expiryWindows } from './expiry.ts';
import { manualClock } from './test-support/async.ts';
import { managersClosedAfterEach } from './test-support/manager-cleanup.ts';
import { offlineFlow } from './test-support/offline-token-endpoint.ts';
import type { Token } from './token.ts';

const manage = managersClosedAfterEach();

describe('the manager never hands out a token inside its leeway', () => {
  type Step =
    | { readonly kind: 'advance'; readonly share: number }
    | { readonly kind: 'get' }
    | { readonly kind: 'get-concurrently'; readonly n: number }
    | { readonly kind: 'invalidate' }
    | { readonly kind: 'endpoint-fails' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .double({ min: 0, max: 1.2, noNaN: true })
        .map((share) => ({ kind: 'advance' as const, share })),
    },
    { weight: 4, arbitrary: fc.constant({ kind: 'get' as const }) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 2, max: 5 })
        .map((n) => ({ kind: 'get-concurrently' as const, n })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'invalidate' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'endpoint-fails' as const }) },
  );

  // Round trips up to 1.2 lifetimes: a token that arrives expired, or inside its leeway, is a
  // typed error, never handed out.
  test('whatever the policy, lifetime, round trip, traffic, 401s and failures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          leewayMs: fc.integer({ min: 0, max: 3_600_000 }),
          refreshAheadMs: fc.integer({ min: 0, max: 86_400_000 }),
        }),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.double({ min: 0, max: 1.2, noNaN: true }),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        async (policy, lifetimeMs, roundTripShare, steps) => {
          const clock = manualClock();
          const roundTrip = Math.floor(lifetimeMs * roundTripShare);
          let failNext = false;
          let issued = 0;
          /** Server truth: when each token expires on the server's (here, the same) clock. */
          const serverExpiry = new Map<string, number>();
          const tokens = manage({
            flow: offlineFlow(),
            now: clock.now,
            retry: false,
            ...policy,
            onError: () => {},
            fetch: async () => {
              clock.advance(roundTrip);
              if (failNext) {
                failNext = false;
                return new Response('<html>down</html>', { status: 503 });
              }
              const accessToken = `t${++issued}`;
              serverExpiry.set(accessToken, clock.now() + lifetimeMs);
              return Response.json({ access_token: accessToken, expires_in: lifetimeMs / 1000 });
            },
          });
          let last: Token | undefined;
          const check = (token: Token): void => {
            const now = clock.now();
            const expiresAt = token.expiresAt as number;
            const { leewayMs } = expiryWindows(expiresAt - (token.issuedAt as number), policy);
            expect(now, 'handed out inside the leeway').toBeLessThan(expiresAt - leewayMs);
            expect(now, 'handed out after the server expired it').toBeLessThan(
              serverExpiry.get(token.accessToken) as number,
            );
            last = token;
          };
          const get = async (): Promise<void> => {
            const outcome = await tokens.getToken().catch((error: unknown) => error);
            if (outcome instanceof Error) expect(outcome instanceof TokenwiseError).toBe(true);
            else check(outcome as Token);
          };
          for (const s of steps) {
            if (s.kind === 'advance') clock.advance(Math.floor(lifetimeMs * s.share));
            else if (s.kind === 'get') await get();
            else if (s.kind === 'get-concurrently')
              await Promise.all(Array.from({ length: s.n }, get));
            else if (s.kind === 'invalidate' && last) await tokens.invalidate(last.accessToken);
            else if (s.kind === 'endpoint-fails') failNext = true;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
