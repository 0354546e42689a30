/**
 * What the `internal/send-token-request.*.test.ts` files share: one token request, the options
 * it is sent with (injected fetch and clock, retry settings), canned answers and a scripted fetch.
 */
import { vi } from 'vitest';
import type { SendOptions } from '../internal/send-token-request.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import { manualClock } from './async.ts';

/** When the tests start: the injected clock's time until a test moves it. */
export const t0 = Date.UTC(2026, 0, 1);
/** The clock `options()` injects; a test that moves it sets it back to `t0` before each test. */
export const clock = manualClock(t0);

export const request: TokenHttpRequest = {
  url: 'https://auth.example.com/token',
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&client_id=c&client_secret=s',
};

/** Send options with `fetch`: a 10 s attempt timeout, two retries, no jitter, then `overrides`. */
export function options(
  fetch: typeof globalThis.fetch,
  overrides: Partial<SendOptions> = {},
): SendOptions {
  return {
    fetch,
    timeoutMs: 10_000,
    retry: { limit: 2, baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 },
    now: clock.now,
    random: () => 0,
    signal: new AbortController().signal,
    isSuccess: (status) => status >= 200 && status < 300,
    ...overrides,
  };
}

/** A 200 with a Bearer token for 60 s. */
export const ok = (): Response =>
  Response.json({ access_token: 'a', token_type: 'Bearer', expires_in: 60 });

/** An answer with status `code`, JSON by content type, and `body` (`{}` unless given). */
export const status = (code: number, headers: Record<string, string> = {}, body = '{}'): Response =>
  new Response(body, { status: code, headers: { 'content-type': 'application/json', ...headers } });

/** A fetch answering from a list, one per call. */
export function fetchOf(...answers: (Response | Error)[]): ReturnType<typeof vi.fn<typeof fetch>> {
  return vi.fn<typeof fetch>(async () => {
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  });
}

/** Lets promise chains and stream reads run (setImmediate is not faked). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
