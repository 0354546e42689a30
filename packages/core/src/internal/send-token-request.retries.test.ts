/**
 * Retries of a token request, with fake timers and exact delays: exponential backoff with jitter,
 * Retry-After, which statuses are retried, network errors, and an abort during the backoff.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenEndpointError, TokenRequestError } from '../errors.ts';
import {
  clock,
  fetchOf,
  ok,
  options,
  request,
  settle,
  status,
  t0,
} from '../test-support/send-request-fixtures.ts';
import { sendTokenRequest } from './send-token-request.ts';

beforeEach(() => {
  clock.set(t0);
});

describe('retries (fake timers, exact delays)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function expectCallsAt(
    fetch: ReturnType<typeof fetchOf>,
    steps: [advanceMs: number, calls: number][],
  ): Promise<void> {
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    for (const [advanceMs, calls] of steps) {
      await vi.advanceTimersByTimeAsync(advanceMs);
      await settle();
      expect(fetch).toHaveBeenCalledTimes(calls);
    }
  }

  it('backs off exponentially with jitter on 5xx, then gives up after the limit', async () => {
    const fetch = fetchOf(status(500), status(502), status(503, {}, '<html>down</html>'));
    const pending = sendTokenRequest(request, options(fetch)).catch((e: unknown) => e);
    // random 0: half of 250 ms, then half of 500 ms.
    await expectCallsAt(fetch, [
      [124, 1],
      [1, 2],
      [249, 2],
      [1, 3],
    ]);
    const error = await pending;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 503, code: 'ERR_TOKEN_ENDPOINT', error: undefined });
  });

  it('spreads the jitter over the upper half and caps the delay at maxDelayMs', async () => {
    const fetch = fetchOf(status(500), status(500), ok());
    const pending = sendTokenRequest(
      request,
      options(fetch, {
        random: () => 0.5,
        retry: { limit: 2, baseDelayMs: 4_000, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 },
      }),
    );
    // 2000 + 0.5 × 2000 = 3000; then min(5000, 8000) → 2500 + 1250 = 3750.
    await expectCallsAt(fetch, [
      [2_999, 1],
      [1, 2],
      [3_749, 2],
      [1, 3],
    ]);
    await expect(pending).resolves.toMatchObject({ response: { status: 200 } });
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const fetch = fetchOf(status(429, { 'retry-after': '2' }), ok());
    const pending = sendTokenRequest(request, options(fetch));
    await expectCallsAt(fetch, [
      [1_999, 1],
      [1, 2],
    ]);
    await expect(pending).resolves.toMatchObject({ response: { status: 200 } });
  });

  it('honours Retry-After as an HTTP date, relative to the injected clock', async () => {
    const fetch = fetchOf(status(503, { 'retry-after': new Date(t0 + 3_000).toUTCString() }), ok());
    const pending = sendTokenRequest(request, options(fetch));
    await expectCallsAt(fetch, [
      [2_999, 1],
      [1, 2],
    ]);
    await expect(pending).resolves.toMatchObject({ response: { status: 200 } });
  });

  it('waits the backoff when Retry-After is shorter', async () => {
    const fetch = fetchOf(status(429, { 'retry-after': '0' }), ok());
    const pending = sendTokenRequest(request, options(fetch));
    await expectCallsAt(fetch, [
      [124, 1],
      [1, 2],
    ]);
    await pending;
  });

  it('waits a Retry-After equal to maxRetryAfterMs, and not one above it', async () => {
    const atLimit = fetchOf(status(429, { 'retry-after': '30' }), ok());
    const pending = sendTokenRequest(request, options(atLimit));
    await expectCallsAt(atLimit, [
      [29_999, 1],
      [1, 2],
    ]);
    await pending;

    const above = fetchOf(status(429, { 'retry-after': '31' }), ok());
    const error = await sendTokenRequest(request, options(above)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 31_000 });
    expect(above).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([400, 401, 403, 404, 408, 422])('does not retry %i', async (code) => {
    const fetch = fetchOf(status(code, {}, '{"error":"invalid_client"}'), ok());
    const error = await sendTokenRequest(request, options(fetch)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: code, error: 'invalid_client' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('retries network errors and reports the runtime cause', async () => {
    const refused = (): Error =>
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
          code: 'ECONNREFUSED',
        }),
      });
    const fetch = fetchOf(refused(), refused(), refused());
    const pending = sendTokenRequest(request, options(fetch)).catch((e: unknown) => e);
    await expectCallsAt(fetch, [
      [125, 2],
      [250, 3],
    ]);
    const error = await pending;
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
    expect((error as Error).message).toBe(
      'Token endpoint could not be reached: fetch failed (ECONNREFUSED)',
    );
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('sends no more attempts once the signal aborts during the backoff', async () => {
    const controller = new AbortController();
    const fetch = fetchOf(status(503), ok());
    const pending = sendTokenRequest(request, options(fetch, { signal: controller.signal }));
    const caught = pending.catch((e: unknown) => e);
    await settle();
    const reason = new Error('closed');
    controller.abort(reason);
    expect(await caught).toBe(reason);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reports when the successful attempt was sent and answered', async () => {
    let calls = 0;
    const fetch = vi.fn<typeof globalThis.fetch>(async () => {
      const answer = ++calls === 1 ? status(503) : ok();
      clock.advance(40); // the round trip
      return answer;
    });
    const pending = sendTokenRequest(request, options(fetch));
    await settle();
    clock.advance(1_000);
    await vi.advanceTimersByTimeAsync(125);
    const sent = await pending;
    expect(sent).toMatchObject({ sentAt: t0 + 1_040, receivedAt: t0 + 1_080 });
  });
});
