/**
 * A token request against a real loopback server: the 1 MiB body limit, declared and chunked,
 * stalled and cut-off bodies, and an abort while the request is under way.
 */
import { closeAllServers, type LoopbackServer, startServer } from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenEndpointError, TokenRequestError, TokenResponseError } from '../errors.ts';
import { options, request } from '../test-support/send-request-fixtures.ts';
import type { TokenHttpRequest } from '../token-http.ts';
import { type SendOptions, sendTokenRequest } from './send-token-request.ts';
import { maxBodyBytes } from './token-answer.ts';

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
