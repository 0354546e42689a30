/**
 * `invalidate` racing a refresh that gets `invalid_grant`: the token the invalidate dropped never
 * comes back, whichever order the store answers in. Faked at the boundary: an injected fetch, a
 * manual clock, and a store whose reads the test answers one by one (a slow store, without
 * wall-clock waits).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { refreshToken } from './flows/refresh-token.ts';
import { type Deferred, deferred, manualClock } from './test-support/async.ts';
import type { Token } from './token.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

const clock = manualClock();
const cacheKey = 'tokenwise:race';
const flow = refreshToken({
  tokenUrl: 'https://auth.example.com/token',
  clientId: 'c',
  clientSecret: 's',
  refreshToken: 'rt-start',
});
const tokenA = { access_token: 'at-A', refresh_token: 'rt-A', expires_in: 3600 };
const invalidGrant = (): Response =>
  Response.json({ error: 'invalid_grant', error_description: 'revoked' }, { status: 400 });

/** A store over memory whose reads, while `held`, wait until the test answers them (in any order). */
class HeldStore implements TokenStore {
  readonly inner = new MemoryTokenStore({ now: clock.now });
  held = false;
  readonly reads: Deferred<void>[] = [];
  async get(key: string): Promise<Token | undefined> {
    if (this.held) {
      const read = deferred();
      this.reads.push(read);
      await read.promise;
    }
    return this.inner.get(key);
  }
  set(key: string, token: Token, ttlMs?: number): Promise<void> {
    return this.inner.set(key, token, ttlMs);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}

/** A token endpoint answering from a list, one per request; `sent` counts requests. */
function endpoint(...answers: (() => Response | Promise<Response>)[]) {
  let sent = 0;
  const fetch: typeof globalThis.fetch = async () => {
    sent++;
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    return next();
  };
  return { fetch, sent: () => sent };
}

/** Lets promise chains run until `condition` holds (no timers, no I/O involved). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await Promise.resolve();
  expect(condition()).toBe(true);
}

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

function manage(store: TokenStore, fetch: typeof globalThis.fetch): TokenManager {
  const manager = createTokenManager({ flow, store, fetch, cacheKey, now: clock.now });
  managers.push(manager);
  return manager;
}

/** The refresh token is gone and A was invalidated: nothing may hand A out again. */
async function expectANeverServedAgain(tokens: TokenManager, store: HeldStore): Promise<void> {
  const stored = await store.inner.get(cacheKey);
  expect(stored === undefined || (stored.expiresAt ?? 0) <= clock.now()).toBe(true);
  await expect(tokens.getToken()).rejects.toMatchObject({
    code: 'ERR_REAUTHORIZATION_REQUIRED',
  });
}

describe('invalidate racing a refresh that gets invalid_grant', () => {
  it('does not put the invalidated token back when its store read is discarded (slow store)', async () => {
    const store = new HeldStore();
    const { fetch, sent } = endpoint(() => Response.json(tokenA), invalidGrant);
    const tokens = manage(store, fetch);
    const a = await tokens.getToken();
    store.held = true;

    const forced = tokens.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    await until(() => store.reads.length === 1);
    store.reads[0]?.resolve(); // the forced refresh reads A, and refreshes with rt-A
    await until(() => sent() === 2 && store.reads.length === 2); // invalid_grant: clearRefreshToken reads
    const invalidated = tokens.invalidate(a.accessToken); // a 401 for A, meanwhile
    await until(() => store.reads.length === 3);
    store.reads[2]?.resolve(); // invalidate reads A, marks it expired and writes that
    expect(await invalidated).toBe(true);
    store.reads[1]?.resolve(); // clearRefreshToken's read answers last: discarded
    expect(await forced).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });

    store.held = false;
    await expectANeverServedAgain(tokens, store);
  });

  it('does not put back a token invalidated during the refresh when the store has no entry', async () => {
    const store = new HeldStore();
    const answer = deferred<Response>();
    const { fetch, sent } = endpoint(
      () => Response.json(tokenA),
      () => answer.promise,
    );
    const tokens = manage(store, fetch);
    const a = await tokens.getToken();
    const forced = tokens.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    await until(() => sent() === 2);
    expect(await tokens.invalidate(a.accessToken)).toBe(true); // a 401 for A, during the refresh
    await store.inner.delete(cacheKey); // the store lost its entry (evicted, flushed)
    answer.resolve(invalidGrant());
    expect(await forced).toMatchObject({ code: 'ERR_REAUTHORIZATION_REQUIRED' });

    await expectANeverServedAgain(tokens, store);
  });
});
