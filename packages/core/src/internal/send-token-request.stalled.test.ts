/**
 * A fetch or response body that ignores its abort signal still ends: at the per-attempt timeout,
 * or at once with the caller's reason when the caller aborts.
 */
import { describe, expect, it, vi } from 'vitest';
import { TokenRequestError } from '../errors.ts';
import { deferred } from '../test-support/async.ts';
import { options, request, settle } from '../test-support/send-request-fixtures.ts';
import { sendTokenRequest } from './send-token-request.ts';

describe('a fetch or body that ignores its signal', () => {
  const never = <T>(): Promise<T> => new Promise<T>(() => {});
  /** A 200 whose body sends part of a token and then nothing, and ignores cancel too. */
  const stalledBody = (): Response =>
    new Response(
      new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new TextEncoder().encode('{"access_token":')),
        cancel: () => never(),
      }),
      { headers: { 'content-type': 'application/json' } },
    );
  const once = { limit: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 };

  it('ends an attempt whose fetch never settles at the per-attempt timeout, and retries', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(never);
    const error = await sendTokenRequest(
      request,
      options(fetch, { timeoutMs: 5, retry: once }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('ends an attempt whose body never ends at the per-attempt timeout, and retries', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => stalledBody());
    const error = await sendTokenRequest(
      request,
      options(fetch, { timeoutMs: 5, retry: once }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['a fetch that never settles', never<Response>],
    ['a body that never ends', async () => stalledBody()],
  ])('rejects with the signal’s reason when aborted during %s', async (_, answer) => {
    const controller = new AbortController();
    const fetch = vi.fn<typeof globalThis.fetch>(answer);
    const pending = sendTokenRequest(request, options(fetch, { signal: controller.signal }));
    const caught = pending.catch((e: unknown) => e);
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    const reason = new Error('closed');
    controller.abort(reason);
    expect(await caught).toBe(reason);
  });

  it('cancels the body of an answer that arrives after its attempt was abandoned', async () => {
    const late = deferred<Response>();
    const controller = new AbortController();
    const pending = sendTokenRequest(
      request,
      options(async () => late.promise, { signal: controller.signal }),
    ).catch((e: unknown) => e);
    await settle();
    controller.abort(new Error('closed'));
    await pending;
    const cancelled = vi.fn();
    late.resolve(new Response(new ReadableStream({ cancel: cancelled })));
    await settle();
    expect(cancelled).toHaveBeenCalledTimes(1);
  });
});
