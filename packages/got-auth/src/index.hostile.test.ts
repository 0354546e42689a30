/**
 * gotAuth's adapter contract (@tokenwise/test-kit), with got 14 and got 16 (attaching the token,
 * origins, redirects, the one re-send after a 401 and its bounds, bodies, aborting, token endpoint
 * failures, header hygiene, what a caller's error shows), and what only got has against hostile
 * peers (an error's options sent again, its own timeouts and retries).
 */
import { Readable } from 'node:stream';
import {
  clientCredentials,
  createTokenManager,
  type Flow,
  TokenEndpointError,
  type TokenManager,
} from '@tokenwise/core';
import {
  type AdapterDriver,
  describeAdapter,
  renderings,
  type SentBody,
  type SentRequest,
  useLoopback,
} from '@tokenwise/test-kit';
import got, {
  type Got,
  HTTPError,
  type Method,
  type Options,
  type OptionsOfTextResponseBody,
  RequestError,
} from 'got';
import got14, { HTTPError as HTTPError14, RequestError as RequestError14 } from 'got14';
import { describe, expect, it } from 'vitest';
import { gotAuth } from './index.ts';

const majors: [string, Got, typeof HTTPError, typeof RequestError][] = [
  [
    'got 14',
    got14 as unknown as Got,
    HTTPError14 as unknown as typeof HTTPError,
    RequestError14 as unknown as typeof RequestError,
  ],
  ['got 16', got, HTTPError, RequestError],
];

/** A body of the suite as got takes it. */
const gotBody = (body: SentBody): OptionsOfTextResponseBody => {
  switch (body.kind) {
    case 'text':
      return { body: body.text };
    case 'json':
      return { json: body.json };
    case 'form':
      return { form: { ...body.form } };
    case 'bytes':
      return { body: Buffer.from(body.bytes) };
    case 'stream':
      return { body: Readable.from(body.chunks) };
  }
};

/** A request of the suite as got's options; its absolute URL replaces the prefixUrl. */
const options = ({
  method,
  headers,
  body,
  signal,
  skipAuth,
}: SentRequest): OptionsOfTextResponseBody => ({
  prefixUrl: '',
  ...(method && { method: method as Method }),
  ...(headers && { headers }),
  ...(body && gotBody(body)),
  ...(signal && { signal }),
  ...(skipAuth && { context: { skipAuth } }),
});

describe.each(majors)('%s', (major, base, HttpError, RequestErrorOf) => {
  const driver: AdapterDriver<Got, TokenManager, Flow> = {
    core: {
      createTokenManager,
      clientCredentials,
      isTokenEndpointError: (error) => error instanceof TokenEndpointError,
    },
    client: ({ baseUrl, ...auth }) =>
      base.extend({ ...(baseUrl && { prefixUrl: baseUrl }), retry: { limit: 0 } }, gotAuth(auth)),
    send: async (client, request) => {
      const response = await client(request.url, {
        ...options(request),
        throwHttpErrors: false,
      });
      return {
        status: response.statusCode,
        headers: Object.fromEntries(
          Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
        ),
        body: response.body,
      };
    },
    outcome: (client, request) =>
      client(request.url, options(request)).catch((error: unknown) => error),
    status: (outcome) => (outcome instanceof HttpError ? outcome.response.statusCode : undefined),
    isNetworkError: (outcome) =>
      outcome instanceof RequestErrorOf && ['ECONNREFUSED', 'ECONNRESET'].includes(outcome.code),
    isAbortError: (outcome) => outcome instanceof RequestErrorOf && outcome.name === 'AbortError',
  };

  describeAdapter(`gotAuth (${major})`, driver);

  describe('what only got has', () => {
    const loopback = useLoopback(driver.core);
    const tenantKey = 'tenant-key-91d2';
    const api = (headers: Record<string, string> = {}): Got =>
      driver.client({ tokens: loopback.tokens, baseUrl: loopback.a.origin, headers });

    it('gives a request sent again with error.options (after the re-send failed) a re-send of its own', async () => {
      const { a } = loopback;
      const client = api();
      await client('api/warm');
      a.failApi(401, 503); // the re-send with tok-2 fails for another reason
      const error = await client('api/me').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ response: { statusCode: 503 } });
      expect(a.tokenRequests).toHaveLength(2);
      a.revokeAll(); // tok-2 is refused from now on: a genuine revocation
      const { options } = error as HTTPError;
      const again = await base(undefined, undefined, options as Options).json<{
        authorization: string;
      }>();
      expect(again.authorization).toBe('Bearer tok-3');
      expect(a.tokenRequests).toHaveLength(3);
    });

    it('re-authorizes a call once, also when got retries a hop that bounced off another origin', async () => {
      const { a, b } = loopback;
      const client = base.extend(
        {
          prefixUrl: a.origin,
          retry: {
            limit: 2,
            statusCodes: [503],
            calculateDelay: ({ computedValue }) => (computedValue ? 1 : 0),
          },
        },
        gotAuth({ tokens: loopback.tokens }),
      );
      const back = encodeURIComponent(
        `${b.origin}/redirect?to=${encodeURIComponent(`${a.origin}/target`)}`,
      );
      a.failApi(401); // the first attempt, with tok-1: re-sent once with tok-2
      a.failPath('/target', 503, 401); // after the bounce A → B → A: a 503 got retries, then a 401
      const error = await client(`redirect?to=${back}`).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ response: { statusCode: 401 } });
      expect(a.tokenRequests).toHaveLength(2); // the cold start and the call's one renewal
    });

    it('an HTTP error has options that can be sent again, with the token and the extra headers', async () => {
      const { a } = loopback;
      const client = api({ 'X-Tenant-Key': tenantKey });
      await client('api/warm');
      a.failApi(401, 401);
      const error = await client('api/me').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HttpError);
      const { options } = error as HTTPError;
      const again = await base(undefined, undefined, options as Options).json<{
        authorization: string;
      }>();
      expect(again.authorization).toBe('Bearer tok-2');
      expect(a.apiCalls.at(-1)?.headers['x-tenant-key']).toBe(tenantKey);
    });

    it('a timeout shows neither the token nor the extra headers', async () => {
      const client = api({ 'X-Tenant-Key': tenantKey });
      await client('api/warm');
      const error = await client('hang', { timeout: { request: 50 } }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'TimeoutError' });
      for (const rendering of renderings(error, { bypassCustomInspect: false })) {
        expect(rendering).not.toContain('tok-1');
        expect(rendering).not.toContain(tenantKey);
      }
    });
  });
});
