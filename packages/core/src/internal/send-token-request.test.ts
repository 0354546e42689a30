import { closeAllServers, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenEndpointError, TokenRequestError, TokenResponseError } from '../errors.ts';
import { deferred } from '../test-support/async.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import { type SendOptions, sendTokenRequest } from './send-token-request.ts';
import { errorFields, maxBodyBytes } from './token-answer.ts';

const t0 = Date.UTC(2026, 0, 1);
let clock = t0;

const request: TokenHttpRequest = {
  url: 'https://auth.example.com/token',
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials&client_id=c&client_secret=s',
};

function options(
  fetch: typeof globalThis.fetch,
  overrides: Partial<SendOptions> = {},
): SendOptions {
  return {
    fetch,
    timeoutMs: 10_000,
    retry: { limit: 2, baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 },
    now: () => clock,
    random: () => 0,
    signal: new AbortController().signal,
    isSuccess: (status) => status >= 200 && status < 300,
    ...overrides,
  };
}

const ok = (): Response =>
  Response.json({ access_token: 'a', token_type: 'Bearer', expires_in: 60 });
const status = (code: number, headers: Record<string, string> = {}, body = '{}'): Response =>
  new Response(body, { status: code, headers: { 'content-type': 'application/json', ...headers } });

/** A fetch answering from a list, one per call. */
function fetchOf(...answers: (Response | Error)[]): ReturnType<typeof vi.fn<typeof fetch>> {
  return vi.fn<typeof fetch>(async () => {
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  });
}

/** Lets promise chains and stream reads run (setImmediate is not faked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

beforeEach(() => {
  clock = t0;
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
      clock += 40; // the round trip
      return answer;
    });
    const pending = sendTokenRequest(request, options(fetch));
    await settle();
    clock += 1_000;
    await vi.advanceTimersByTimeAsync(125);
    const sent = await pending;
    expect(sent).toMatchObject({ sentAt: t0 + 1_040, receivedAt: t0 + 1_080 });
  });
});

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

describe('the request it sends', () => {
  it('passes method, headers and body, refuses redirects and skips caches', async () => {
    const fetch = fetchOf(ok());
    await sendTokenRequest(request, options(fetch));
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(request.url);
    expect(init).toMatchObject({
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      cache: 'no-store',
    });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('turns a redirect from the token endpoint into a TokenEndpointError, not retried', async () => {
    const fetch = fetchOf(status(302, { location: 'https://elsewhere.example/token' }, ''));
    const error = await sendTokenRequest(request, options(fetch)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 302, code: 'ERR_TOKEN_ENDPOINT' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['JSON', 'application/json', '  {"access_token":"a"}', { access_token: 'a' }],
    [
      'a form',
      'application/x-www-form-urlencoded',
      'access_token=a&expires_in=5',
      {
        access_token: 'a',
        expires_in: '5',
      },
    ],
    ['HTML', 'text/html', '<html>login</html>', undefined],
    ['a JSON array', 'application/json', '[1]', undefined],
    ['broken JSON', 'application/json', '{"access_token":', undefined],
    ['nothing', 'application/json', '', undefined],
  ])('parses %s', async (_, type, text, body) => {
    const fetch = fetchOf(new Response(text, { headers: { 'content-type': type } }));
    const { response } = await sendTokenRequest(request, options(fetch));
    expect(response.text).toBe(text);
    expect(response.body).toEqual(body);
  });
});

describe('errorFields', () => {
  it.each([
    [
      { error: 'invalid_client', error_description: 'Bad secret', error_uri: 'https://x/e' },
      { error: 'invalid_client', errorDescription: 'Bad secret', errorUri: 'https://x/e' },
    ],
    [{ error: 'Invalid request' }, { error: 'Invalid request' }],
    [{ message: 'Unauthorized' }, { errorDescription: 'Unauthorized' }],
    [
      { error: { code: 'E42', message: 'Quota exceeded' } },
      { error: 'E42', errorDescription: 'Quota exceeded' },
    ],
    [{ error: '', error_description: 7 }, {}],
    [undefined, {}],
  ])('reads %j', (body, fields) => {
    expect(errorFields(body)).toEqual({
      error: undefined,
      errorDescription: undefined,
      errorUri: undefined,
      ...fields,
    });
  });

  it('keeps long fields whole: the exchange clips them only after redacting them', () => {
    expect(errorFields({ error_description: 'd'.repeat(2_000) }).errorDescription).toHaveLength(
      2_000,
    );
  });
});

describe('against a loopback server', () => {
  let server: LoopbackServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(closeAllServers);

  const real = (overrides: Partial<SendOptions> = {}): SendOptions =>
    options(globalThis.fetch, {
      now: Date.now,
      retry: { limit: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
      ...overrides,
    });
  const post = (): TokenHttpRequest => ({ ...request, url: server.tokenUrl });
  const padded = (size: number): string => {
    const head = '{"access_token":"a","pad":"';
    return `${head}${'p'.repeat(size - head.length - 2)}"}`;
  };

  it.each([
    ['declared', true],
    ['chunked', false],
  ])('accepts an answer of exactly 1 MiB (%s)', async (_, declared) => {
    const body = padded(maxBodyBytes);
    expect(Buffer.byteLength(body)).toBe(maxBodyBytes);
    server.script({
      write: (res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(declared ? { 'content-length': String(maxBodyBytes) } : {}),
        });
        if (declared) res.end(body);
        else {
          for (let i = 0; i < body.length; i += 100_000) res.write(body.slice(i, i + 100_000));
          res.end();
        }
      },
    });
    const { response } = await sendTokenRequest(post(), real());
    expect(response.body?.access_token).toBe('a');
  });

  it.each([
    ['declared', true],
    ['chunked', false],
  ])('rejects an answer of 1 MiB + 1 byte (%s) with TokenResponseError', async (_, declared) => {
    const body = padded(maxBodyBytes + 1);
    server.script({
      write: (res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(declared ? { 'content-length': String(maxBodyBytes + 1) } : {}),
        });
        if (declared) res.end(body);
        else {
          for (let i = 0; i < body.length; i += 100_000) res.write(body.slice(i, i + 100_000));
          res.end();
        }
      },
    });
    const error = await sendTokenRequest(post(), real()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenResponseError);
    expect(error).toMatchObject({ status: 200, code: 'ERR_TOKEN_RESPONSE' });
  });

  it('rejects a declared oversize answer without reading it', async () => {
    server.script({
      write: (res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(50 * maxBodyBytes),
        });
        res.write('{"access_token":"a"'); // and never more: reading would hit the timeout
      },
    });
    const error = await sendTokenRequest(post(), real({ timeoutMs: 5_000 })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenResponseError);
  });

  it('keeps an oversize error answer an HTTP error, retried when 5xx', async () => {
    const html = `<html>${'x'.repeat(2 * maxBodyBytes)}</html>`;
    server.script({ status: 503, body: html }, { status: 502, body: html });
    const error = await sendTokenRequest(
      post(),
      real({ retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 502, error: undefined });
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('times out an attempt whose body stalls, not only one whose headers do', async () => {
    server.script(
      { delayMs: 5_000 },
      {
        write: (res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"access_token":'); // and never more
        },
      },
    );
    // Attempts are counted as sent by the client: on a loaded machine the server may not have
    // read a request before its 50 ms are up.
    let attempts = 0;
    const error = await sendTokenRequest(
      post(),
      real({
        fetch: (input, init) => {
          attempts++;
          return globalThis.fetch(input, init);
        },
        timeoutMs: 50,
        retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_TIMEOUT' });
    expect((error as Error).message).toBe('Token endpoint did not answer within 50 ms');
    expect(attempts).toBe(2);
  });

  /** Answers that take over the response, send part of a token body, then drop the connection. */
  const endsEarly: Record<string, (res: import('node:http').ServerResponse) => void> = {
    'declared a Content-Length, then closed early': (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"access_token":"partial', () => res.socket?.end());
    },
    'reset the connection mid-body (chunked)': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"access_token":"partial', () => res.socket?.destroy());
    },
    'reset the connection mid-body (declared length)': (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"access_token":"partial', () => res.socket?.destroy());
    },
  };

  it.each(Object.entries(endsEarly))(
    'says the response ended early, and retries, when the server %s',
    async (_, write) => {
      server.script({ write }, { write });
      const error = await sendTokenRequest(
        post(),
        real({ retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 } }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenRequestError);
      expect(error).toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
      expect((error as Error).message).toMatch(/^The token endpoint's response ended early: /);
      expect(server.tokenRequests).toHaveLength(2);
    },
  );

  it('rejects with the signal’s own reason when aborted during a request', async () => {
    server.holdTokens();
    const controller = new AbortController();
    const pending = sendTokenRequest(post(), real({ signal: controller.signal }));
    await server.tokenRequestsReached(1);
    const reason = new Error('manager closed');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
