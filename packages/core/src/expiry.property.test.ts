/**
 * Expiry properties through the whole path a token takes: the flow's parser, the token's
 * creation and the manager's cache, driven by an injected fetch and a manual clock. (expiry.test.ts
 * checks the pure functions: resolveExpiresAt with whole seconds, tokenFreshness.) Added here:
 * every wire form of `expires_in`, every absolute form (offsets, no seconds, JWT `exp`, a mapped
 * vendor field), and the manager never handing out a token inside its leeway, whatever the
 * policy, lifetime, round trip, traffic, 401s and endpoint failures.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { expiryWindows } from './expiry.ts';
import { clientCredentials } from './flows/client-credentials.ts';
import type { Flow } from './flows/flow.ts';
import { tokenRequest } from './flows/token-request.ts';
import { manualClock } from './test-support/async.ts';
import type { Token } from './token.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';
const oauth = (): Flow => clientCredentials({ tokenUrl, clientId: 'c', clientSecret: 's' });
/** Papaya-style: `{ token, valid_until }`. */
const vendor = (): Flow =>
  tokenRequest({ url: tokenUrl, body: {}, response: { accessToken: 'token', expiresAt: 'until' } });

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** Epoch ms on whole seconds, 2001 to 2096. */
const epochSeconds = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }).map((s) => s * 1000);

/** The token a fresh manager makes of one answer, sent at `sentAt` (the clock does not move). */
async function tokenOf(
  flow: Flow,
  sentAt: number,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Token> {
  const tokens = createTokenManager({
    flow,
    now: () => sentAt,
    retry: false,
    fetch: async () => new Response(body, { headers }),
  });
  managers.push(tokens);
  return tokens.getToken();
}

/** A JWT (unsigned; tokenwise only decodes) whose payload is `claims`. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.`;
}

function isoWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

describe('expires_in, in every form a server sends it', () => {
  /** Lifetimes in ms, from 1 ms to ~31 years, as `expires_in` seconds with up to 3 decimals. */
  const lifetimeMs = fc.integer({ min: 1, max: 1_000_000_000_000 });
  const json = 'application/json';
  const forms: Record<string, (seconds: number) => { body: string; type: string }> = {
    'a JSON number': (s) => ({ body: `{"access_token":"a","expires_in":${s}}`, type: json }),
    'a JSON string': (s) => ({ body: `{"access_token":"a","expires_in":"${s}"}`, type: json }),
    'a padded JSON string': (s) => ({
      body: `{"access_token":"a","expires_in":" ${s} "}`,
      type: json,
    }),
    'a form field': (s) => ({
      body: `access_token=a&expires_in=${s}`,
      type: 'application/x-www-form-urlencoded',
    }),
  };

  test.each(Object.entries(forms))(
    '%s: expiresAt = sentAt + expires_in, to the ms',
    async (_, form) => {
      await fc.assert(
        fc.asyncProperty(epochSeconds, lifetimeMs, async (sentAt, ms) => {
          const { body, type } = form(ms / 1000);
          const token = await tokenOf(oauth(), sentAt, body, { 'content-type': type });
          expect(token.expiresAt).toBe(sentAt + ms);
          expect(token.issuedAt).toBe(sentAt);
        }),
        { numRuns: 40 },
      );
    },
  );

  test('is monotonic: a longer expires_in never gives an earlier expiresAt, whatever the forms', async () => {
    const formNames = Object.keys(forms);
    await fc.assert(
      fc.asyncProperty(
        epochSeconds,
        lifetimeMs,
        lifetimeMs,
        fc.constantFrom(...formNames),
        fc.constantFrom(...formNames),
        async (sentAt, a, b, formA, formB) => {
          const at = async (ms: number, name: string): Promise<number | undefined> => {
            const { body, type } = (forms[name] as (typeof forms)[string])(ms / 1000);
            return (await tokenOf(oauth(), sentAt, body, { 'content-type': type })).expiresAt;
          };
          const [shorter, longer] = a <= b ? [a, b] : [b, a];
          expect(await at(shorter, formA)).toBeLessThanOrEqual((await at(longer, formB)) as number);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('absolute and relative forms agree', () => {
  // Whole minutes, so that the Papaya form (no seconds) can say it exactly.
  const lifetimeMinutes = fc.integer({ min: 1, max: 60 * 24 * 365 * 5 });
  const sentAtMinute = fc.integer({ min: 17_000_000, max: 66_000_000 }).map((m) => m * 60_000);
  const offset = fc.integer({ min: -18 * 60, max: 18 * 60 });

  test('expires_in, expires_at (epoch s, epoch ms, ISO Z, ISO ±hh:mm, ISO without seconds), a vendor field and a JWT exp give the same expiry', async () => {
    await fc.assert(
      fc.asyncProperty(sentAtMinute, lifetimeMinutes, offset, async (sentAt, minutes, zone) => {
        const expected = sentAt + minutes * 60_000;
        const iso = new Date(expected).toISOString();
        const answers: [Flow, string][] = [
          [oauth(), `{"access_token":"a","expires_in":${minutes * 60}}`],
          [oauth(), `{"access_token":"a","expires_at":${expected / 1000}}`],
          [oauth(), `{"access_token":"a","expires_at":${expected}}`],
          [oauth(), `{"access_token":"a","expires_at":"${expected / 1000}"}`],
          [oauth(), `{"access_token":"a","expires_at":"${iso}"}`],
          [oauth(), `{"access_token":"a","expires_at":"${isoWithOffset(expected, zone)}"}`],
          [vendor(), `{"token":"a","until":"${iso.slice(0, 16)}Z"}`],
          [vendor(), `{"token":"a","until":"${iso.slice(0, 16)}+00:00"}`],
          [oauth(), `{"access_token":"${jwt({ exp: expected / 1000, sub: 'x' })}"}`],
        ];
        for (const [flow, body] of answers)
          expect((await tokenOf(flow, sentAt, body)).expiresAt, body).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  test('behind a Date header, an absolute expiry errs early, by less than a second plus the round trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        sentAtMinute,
        lifetimeMinutes,
        // Within the 24 h a Date header is believed for (see maxClockOffsetMs).
        fc.integer({ min: -86_000, max: 86_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        async (sentAt, minutes, skewSeconds, roundTrip) => {
          // The server's clock is off by `skew`; its Date header (whole seconds) and its expiry
          // agree with each other. The answer arrives `roundTrip` ms after the request left.
          const skew = skewSeconds * 1000;
          const expected = sentAt + minutes * 60_000;
          const serverNow = sentAt + skew + Math.floor(roundTrip / 2);
          let clock = sentAt;
          const tokens = createTokenManager({
            flow: oauth(),
            now: () => clock,
            retry: false,
            fetch: async () => {
              clock += roundTrip;
              return new Response(
                JSON.stringify({
                  access_token: 'a',
                  expires_at: new Date(expected + skew).toISOString(),
                }),
                {
                  headers: {
                    'content-type': 'application/json',
                    date: new Date(serverNow).toUTCString(),
                  },
                },
              );
            },
          });
          managers.push(tokens);
          const token = await tokens.getToken().catch((error: unknown) => error);
          if (!(token instanceof Error)) {
            const expiresAt = (token as Token).expiresAt as number;
            expect(expiresAt).toBeLessThanOrEqual(expected);
            expect(expected - expiresAt).toBeLessThan(1000 + roundTrip);
          } else {
            // Only a lifetime shorter than the correction may come out already expired.
            expect(token instanceof TokenwiseError).toBe(true);
            expect(minutes * 60_000).toBeLessThan(1000 + roundTrip);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

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
          const tokens = createTokenManager({
            flow: oauth(),
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
          managers.push(tokens);
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
