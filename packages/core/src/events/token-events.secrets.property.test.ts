/**
 * No event, of any type, and no token request trace holds a secret or a token: one run of every
 * event type, with generated secrets planted everywhere a manager or an adapter sees one (the
 * client secret, the refresh tokens, the access tokens issued, the token URL's query, the
 * request URL's path and query, a store's error, server error text echoing all of them), and
 * every event searched in every rendering and encoding for each secret.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { createAuthFetch } from '../auth-fetch.ts';
import { refreshToken } from '../flows/refresh-token.ts';
import { manualClock } from '../test-support/async.ts';
import { findLeaks } from '../test-support/leaks.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';
import { MemoryTokenStore, type TokenStore } from '../token-store.ts';
import { tokenEventTypes } from './token-event.ts';

/** A secret as credentials are: 12 to 40 characters of base64url with lower case and digits. */
const secret = fc
  .string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    minLength: 12,
    maxLength: 40,
  })
  .filter((value) => /[a-z]/.test(value) && /[0-9]/.test(value) && new Set(value).size >= 6);

const secrets = fc.record({
  clientSecret: secret,
  initialRefresh: secret,
  rotatedRefresh: secret,
  firstAccess: secret,
  secondAccess: secret,
  tokenUrlQuery: secret,
  requestPath: secret,
  requestQuery: secret,
});
type Secrets = typeof secrets extends fc.Arbitrary<infer S> ? S : never;

const managers: TokenManager[] = [];
const unsubscribes: (() => void)[] = [];
afterEach(async () => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

/** Everything published on the `tokenwise:*` channels and the token request's tracing channel. */
function listenToChannels(): unknown[] {
  const published: unknown[] = [];
  const push = (message: unknown) => published.push(message);
  for (const type of tokenEventTypes) {
    diagnosticsChannel.subscribe(`tokenwise:${type}`, push);
    unsubscribes.push(() => diagnosticsChannel.unsubscribe(`tokenwise:${type}`, push));
  }
  const tracing = diagnosticsChannel.tracingChannel('tokenwise:token_request');
  const handlers = { start: push, end: push, asyncStart: push, asyncEnd: push, error: push };
  tracing.subscribe(handlers);
  unsubscribes.push(() => tracing.unsubscribe(handlers));
  return published;
}

/** A token endpoint whose answers echo every secret: a 503, the token, a 400, a second token. */
function tokenEndpoint(s: Secrets): typeof globalThis.fetch {
  const echo = Object.values(s).join(' / ');
  const answers = [
    () =>
      Response.json({ error: 'temporarily_unavailable', error_description: echo }, { status: 503 }),
    () =>
      Response.json({
        access_token: s.firstAccess,
        refresh_token: s.rotatedRefresh,
        expires_in: 3600,
      }),
    () =>
      Response.json({ error: `invalid_request ${echo}`, error_description: echo }, { status: 400 }),
    () => Response.json({ access_token: s.secondAccess, expires_in: 3600 }),
  ];
  let sent = 0;
  return async () => (answers[Math.min(sent++, answers.length - 1)] as () => Response)();
}

/** A store whose first read fails with an error quoting every secret, in its message and code. */
function failingOnceStore(s: Secrets): TokenStore {
  const inner = new MemoryTokenStore();
  let failed = false;
  return {
    get: async (key) => {
      if (failed) return inner.get(key);
      failed = true;
      throw Object.assign(new Error(`READONLY ${Object.values(s).join(' ')}`), {
        code: s.clientSecret,
      });
    },
    set: (key, token, ttl) => inner.set(key, token, ttl),
    delete: (key) => inner.delete(key),
  };
}

/** Drives one manager and one `createAuthFetch` through every event type. */
async function everyEvent(s: Secrets, onEvent: (event: unknown) => void): Promise<void> {
  const clock = manualClock();
  const tokens = createTokenManager({
    flow: refreshToken({
      tokenUrl: `https://auth.example.com/token?key=${s.tokenUrlQuery}`,
      clientId: 'app',
      clientSecret: s.clientSecret,
      refreshToken: s.initialRefresh,
    }),
    fetch: tokenEndpoint(s),
    store: failingOnceStore(s),
    now: clock.now,
    random: () => 0,
    retry: { limit: 1, baseDelayMs: 0, maxDelayMs: 0 },
    failureBackoffMs: 0,
    onEvent,
    onError: () => {},
  });
  managers.push(tokens);
  // A miss, a failing store read, a 503 and its backoff, a token with a rotated refresh token.
  const first = await tokens.getToken();
  await tokens.getToken(); // a hit
  clock.advance(3_600_000 - 60_000);
  await tokens.getToken(); // a stale hit: a refresh ahead, which fails with a 400
  await expect.poll(() => failures.count, { interval: 1 }).toBeGreaterThan(0);
  await tokens.invalidate(first.accessToken);
  // An API that rejects every token: a re-authorization, then a refusal of the fresh token.
  const api = createAuthFetch({
    tokens,
    fetch: async () => new Response(`no ${Object.values(s).join(' ')}`, { status: 401 }),
  });
  await api(`https://api.example.com/users/${s.requestPath}?key=${s.requestQuery}`);
}

const failures = { count: 0 };

test('no event and no trace holds a secret or a token, whatever the secrets', async () => {
  await fc.assert(
    fc.asyncProperty(secrets, async (s) => {
      const published = listenToChannels();
      const given: { type: string }[] = [];
      failures.count = 0;
      await everyEvent(s, (event) => {
        given.push(event as { type: string });
        if ((event as { type: string }).type === 'token.failed') failures.count++;
      });
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      expect(new Set(given.map((event) => event.type))).toEqual(new Set(tokenEventTypes));
      expect(published.length).toBeGreaterThan(given.length);
      // The channels publish the objects onEvent got, plus the traces: each searched once.
      const everything = [...new Set<unknown>([...given, ...published])];
      expect(findLeaks(everything, Object.values(s))).toEqual([]);
    }),
    { numRuns: 30 }, // each run searches ~40 objects in every encoding: ~0.3 s,
  );
}, 120_000);
