/**
 * axios's http adapter with a DPoP token: axiosAuth follows the redirects itself (a proof per
 * hop), within the caller's `maxRedirects`, and hands back what axios would without DPoP.
 */
import { Readable } from 'node:stream';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { axiosAuth } from './index.ts';

let server: LoopbackServer;
let tokens: TokenManager;

beforeEach(async () => {
  server = await startServer();
  server.tokenType = 'DPoP';
  const flow = clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret });
  tokens = createTokenManager({ flow, dpop: true });
});

afterEach(async () => {
  await tokens.close();
  await closeAllServers();
});

/** An http-adapter instance on the server, with the DPoP manager. */
function dpopApi(): AxiosInstance {
  const api = axios.create({ baseURL: server.origin, adapter: 'http' });
  axiosAuth(api, { tokens });
  return api;
}

const redirect = (to: string, status = 302): string =>
  `/redirect?${new URLSearchParams({ to, status: String(status) })}`;

/** What a failed call rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );
}

/** What a caller can tell of an error: its class, code and message, and its causes'. */
function shapeOf(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { name, message, code, input } = error as Error & { code?: unknown; input?: unknown };
  return { name, message, code, input, cause: shapeOf(error.cause) };
}

describe('DPoP redirects through the http adapter', () => {
  it("stops after the caller's maxRedirects with ERR_FR_TOO_MANY_REDIRECTS, every hop proved", async () => {
    const loop = redirect(redirect(redirect(redirect('/public/end'))));
    const error = await rejection(dpopApi().get(loop, { maxRedirects: 2 }));
    expect(isAxiosError(error) && error.code).toBe('ERR_FR_TOO_MANY_REDIRECTS');
    expect(server.apiCalls).toHaveLength(3);
    const proofs = server.apiCalls.map((call) => call.headers.dpop);
    expect(new Set(proofs).size).toBe(3);
    // The error carries the caller's config: no token, no proof, the URL as asked.
    expect(isAxiosError(error) && error.config?.url).toBe(loop);
    expect(JSON.stringify(isAxiosError(error) && error.config?.headers)).not.toMatch(/DPoP/i);
  });

  it('fails at a Location that makes no URL with the error axios gives without DPoP', async () => {
    const invalid = redirect('http://[::1');
    const bare = axios.create({ baseURL: server.origin, adapter: 'http' });
    const expected = await rejection(bare.get(invalid));
    const error = await rejection(dpopApi().get(invalid));
    expect(shapeOf(error)).toEqual(shapeOf(expected));
    expect(shapeOf(error)).toMatchObject({
      code: 'ERR_FR_REDIRECTION_FAILURE',
      cause: { cause: { code: 'ERR_INVALID_URL', input: 'http://[::1' } },
    });
    expect(isAxiosError(error) && error.config?.url).toBe(invalid);
    expect(server.apiCalls).toHaveLength(2); // one each: nothing sent after the redirect
  });

  it('fails past the limit before reading the Location, as axios does without DPoP', async () => {
    const twice = redirect(redirect('http://[::1'));
    const bare = axios.create({ baseURL: server.origin, adapter: 'http' });
    const expected = await rejection(bare.get(twice, { maxRedirects: 1 }));
    const error = await rejection(dpopApi().get(twice, { maxRedirects: 1 }));
    expect(shapeOf(error)).toEqual(shapeOf(expected));
    expect(shapeOf(error)).toMatchObject({ code: 'ERR_FR_TOO_MANY_REDIRECTS' });
  });

  it('with maxRedirects: 0, answers the redirect as axios does, without following it', async () => {
    const reply = await dpopApi().get(redirect('/public/end'), {
      maxRedirects: 0,
      validateStatus: () => true,
    });
    expect(reply.status).toBe(302);
    expect(server.apiCalls).toHaveLength(1);
  });

  it('answers a 307 of a stream body with the 307: the body cannot be sent twice', async () => {
    const reply = await dpopApi().post(redirect('/public/end', 307), Readable.from(['streamed']), {
      validateStatus: () => true,
    });
    expect(reply.status).toBe(307);
    expect(server.apiCalls).toHaveLength(1);
  });

  it('gives the answer of the last hop, its URL as where it came from', async () => {
    const reply = await dpopApi().post(redirect('/public/end?x=1', 303), 'payload');
    expect(reply.status).toBe(200);
    expect(reply.config.url).toBe(redirect('/public/end?x=1', 303));
    expect(
      server.apiCalls.map((call) => [call.method, call.url.pathname + call.url.search]),
    ).toEqual([
      ['POST', redirect('/public/end?x=1', 303)],
      ['GET', '/public/end?x=1'],
    ]);
  });

  it("calls the caller's own beforeRedirect once per hop, and the headers it sets go with the hop", async () => {
    const seen: string[] = [];
    const api = axios.create({
      baseURL: server.origin,
      adapter: 'http',
      beforeRedirect: (options, response) => {
        seen.push(`${response.statusCode} ${options.href}`);
        options.headers['x-hop'] = String(seen.length);
      },
    });
    axiosAuth(api, { tokens });
    const reply = await api.get(redirect(redirect('/public/end')));
    expect(reply.status).toBe(200);
    expect(seen).toEqual([
      `302 ${server.origin}${redirect('/public/end')}`,
      `302 ${server.origin}/public/end`,
    ]);
    expect(server.apiCalls.map((call) => call.headers['x-hop'])).toEqual([undefined, '1', '2']);
    // Each hop still carries its own proof.
    expect(new Set(server.apiCalls.map((call) => call.headers.dpop)).size).toBe(3);
  });
});
