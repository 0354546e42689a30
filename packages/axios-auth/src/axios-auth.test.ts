import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import {
  clientCredentials,
  createTokenManager,
  TokenEndpointError,
  type TokenManager,
  TokenResponseError,
} from '@tokenwise/core';
import axios, { type AxiosInstance, isAxiosError, isCancel } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AxiosAuthOptions, axiosAuth } from './index.ts';
import { deferred, json, startServer, type TestServer } from './test-support/server.ts';

let server: TestServer;
let tokens: TokenManager;
let api: AxiosInstance;

beforeEach(async () => {
  server = await startServer();
  tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: `${server.url}/token`,
      clientId: 'client',
      clientSecret: 'secret',
      scope: 'idp_api',
    }),
  });
  api = axios.create({ baseURL: server.url });
});

afterEach(async () => {
  await tokens.close();
  await server.close();
});

const register = (options: Partial<AxiosAuthOptions> = {}): (() => void) =>
  axiosAuth(api, { tokens, ...options });

/** The reason a promise that must reject rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('attaching the token', () => {
  it('sends Authorization (BEARER normalised) and the extra headers, reusing the cached token', async () => {
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });

    const first = await api.get('/members');
    const second = await api.get('/members/2');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.tokenRequests[0]?.body).toContain('grant_type=client_credentials');
    for (const call of server.calls) {
      expect(call.headers.authorization).toBe('Bearer tok-1');
      expect(call.headers['x-tenant-id']).toBe('tenant-1');
    }
  });

  it('takes extra headers from an async function of the full request URL', async () => {
    const seen: string[] = [];
    register({
      headers: async (url) => {
        seen.push(url.href);
        return { 'X-Tenant-Id': url.pathname.startsWith('/eu/') ? 'eu' : 'us' };
      },
    });

    await api.get('/eu/members', { params: { page: 2 } });
    await api.get('/us/members');

    expect(seen).toEqual([`${server.url}/eu/members?page=2`, `${server.url}/us/members`]);
    expect(server.calls.map((call) => call.headers['x-tenant-id'])).toEqual(['eu', 'us']);
  });

  it('joins baseURL and url as axios does, so the header function sees the URL axios calls', async () => {
    const seen: string[] = [];
    api = axios.create({ baseURL: `${server.url}/v1//` });
    register({
      headers: (url) => {
        seen.push(url.href);
        return {};
      },
    });
    await api.get('members');
    await api.get(`${server.url}/members`);
    await api.get(`${server.url}/members`, { allowAbsoluteUrls: false });
    const joined = `/v1/${server.url}/members`;
    expect(seen).toEqual([
      `${server.url}/v1/members`,
      `${server.url}/members`,
      `${server.url}${joined}`,
    ]);
    expect(server.calls.map((call) => [call.path, call.headers.authorization])).toEqual([
      ['/v1/members', 'Bearer tok-1'],
      ['/members', 'Bearer tok-1'],
      [joined, 'Bearer tok-1'],
    ]);
  });

  it('shares one token request among 100 parallel requests on a cold start', async () => {
    register();

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api.get(`/items/${i}`)),
    );

    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.calls).toHaveLength(100);
    expect(new Set(server.calls.map((call) => call.headers.authorization))).toEqual(
      new Set(['Bearer tok-1']),
    );
  });

  it('stops attaching after eject()', async () => {
    const eject = register({ headers: { 'X-Tenant-Id': 't' } });
    await api.get('/members');
    eject();

    const error = await rejection(api.get('/members'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(server.calls[1]?.headers.authorization).toBeUndefined();
    expect(server.calls[1]?.headers['x-tenant-id']).toBeUndefined();
    expect(server.calls).toHaveLength(2);
  });

  it('rejects bad options with a TypeError that names the option', () => {
    expect(() => axiosAuth(api, { tokens: {} as TokenManager })).toThrow(/tokens/);
    expect(() => register({ origins: ['not a url'] })).toThrow(TypeError);
  });
});

describe('origin scoping', () => {
  let other: TestServer;
  beforeEach(async () => {
    other = await startServer();
  });
  afterEach(() => other.close());

  it('defaults to the origin of baseURL: other origins get neither token nor extra headers', async () => {
    register({ headers: { 'X-Tenant-Id': 't' } });

    const error = await rejection(api.get(`${other.url}/members`));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(other.calls[0]?.headers.authorization).toBeUndefined();
    expect(other.calls[0]?.headers['x-tenant-id']).toBeUndefined();
    expect(server.tokenRequests).toHaveLength(0);
  });

  it('checks the URL that goes out, after another interceptor changed it', async () => {
    register();
    await api.get('/warm'); // the token is at hand from now on
    // Registered later, so axios runs it first; async, so axios takes its asynchronous path.
    api.interceptors.request.use(async (config) =>
      config.url === '/elsewhere' ? { ...config, url: `${other.url}/members` } : config,
    );

    await expect(api.get('/members')).resolves.toMatchObject({ status: 200 });
    await rejection(api.get('/elsewhere'));

    expect(server.calls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
    expect(other.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('uses `origins` instead of baseURL when given', async () => {
    register({ origins: [other.url] });
    other.valid.add('tok-1');

    await expect(api.get(`${other.url}/members`)).resolves.toMatchObject({ status: 200 });
    await expect(api.get('/members')).rejects.toMatchObject({ response: { status: 401 } });

    expect(other.calls[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(server.callsTo('/members')[0]?.headers.authorization).toBeUndefined();
  });

  it('authorizes every request when there is neither baseURL nor origins', async () => {
    api = axios.create();
    register();
    other.valid.add('tok-1');

    await api.get(`${server.url}/a`);
    await api.get(`${other.url}/b`);

    expect(server.calls[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(other.calls[0]?.headers.authorization).toBe('Bearer tok-1');
  });
});

describe('skipAuth', () => {
  it('sends the request without token or extra headers and does not retry its 401', async () => {
    register({ headers: { 'X-Tenant-Id': 't' } });

    const error = await rejection(api.get('/members', { skipAuth: true }));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.headers.authorization).toBeUndefined();
    expect(server.calls[0]?.headers['x-tenant-id']).toBeUndefined();
    expect(server.tokenRequests).toHaveLength(0);
  });
});

describe('401', () => {
  it('answers a 401 storm after revocation with one token request; every request succeeds', async () => {
    register();
    await api.get('/warm-up');
    server.valid.clear(); // the API revokes tok-1
    const parked: Parameters<Parameters<TestServer['route']>[1]>[1][] = [];
    server.route('/storm', (request, response) => {
      if (server.authorized(request)) return json(response, 200, { ok: true });
      parked.push(response);
      // Hold every 401 until all 100 requests were sent with the revoked token.
      if (parked.length === 100) for (const held of parked) json(held, 401, {});
    });

    const responses = await Promise.all(Array.from({ length: 100 }, () => api.get('/storm')));

    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(server.tokenRequests).toHaveLength(2);
    const storm = server.callsTo('/storm');
    expect(storm).toHaveLength(200);
    expect(storm.filter((call) => call.headers.authorization === 'Bearer tok-1')).toHaveLength(100);
    expect(storm.filter((call) => call.headers.authorization === 'Bearer tok-2')).toHaveLength(100);
  });

  it('against an API that always answers 401: two calls, the 401 surfaces, no second invalidation', async () => {
    register();
    server.route('/always-401', (_request, response) => json(response, 401, { error: 'nope' }));

    const error = await rejection(api.get('/always-401'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    const calls = server.callsTo('/always-401');
    expect(calls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
    // tok-2 was not invalidated by the second 401: it is still the cached token.
    expect((await tokens.getToken()).accessToken).toBe('tok-2');
    expect(server.tokenRequests).toHaveLength(2);

    // tok-2 was refused right after it was issued: re-authorization cools down, later 401s are
    // returned at once, without a re-send or a token request.
    await rejection(api.get('/always-401'));
    await rejection(api.get('/always-401'));
    expect(server.callsTo('/always-401')).toHaveLength(4);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('returns the second 401 as a response when validateStatus accepts it', async () => {
    register();
    server.route('/always-401', (_request, response) => json(response, 401, { error: 'nope' }));

    const response = await api.get('/always-401', { validateStatus: () => true });

    expect(response.status).toBe(401);
    expect(response.data).toEqual({ error: 'nope' });
    expect(server.callsTo('/always-401')).toHaveLength(2);
  });

  it.each([
    ['JSON', { name: 'Ada', tags: ['x', 'ü'] }, 'application/json'],
    ['form', new URLSearchParams({ a: '1', b: 'two words' }), 'application/x-www-form-urlencoded'],
    ['text', 'plain text body', 'text/plain'],
    ['Buffer', Buffer.from([0, 1, 2, 250]), 'application/octet-stream'],
  ])('re-sends a %s POST body identically', async (_kind, body, contentType) => {
    register();
    await api.get('/warm-up');
    server.valid.clear();

    const response = await api.post('/members', body, { headers: { 'Content-Type': contentType } });

    expect(response.status).toBe(200);
    const [first, second] = server.callsTo('/members');
    expect(first?.headers.authorization).toBe('Bearer tok-1');
    expect(second?.headers.authorization).toBe('Bearer tok-2');
    expect(second?.body).toBe(first?.body);
    expect(second?.body.length).toBeGreaterThan(0);
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    expect(second?.headers['content-length']).toBe(first?.headers['content-length']);
  });

  it('does not re-send a stream body (nor invalidate): the 401 surfaces', async () => {
    register();
    await api.get('/warm-up');
    server.valid.clear();

    const error = await rejection(api.post('/upload', Readable.from(['chunk-1', 'chunk-2'])));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(server.callsTo('/upload')).toHaveLength(1);
    expect(server.callsTo('/upload')[0]?.body).toBe('chunk-1chunk-2');
    expect((await tokens.getToken()).accessToken).toBe('tok-1');
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('does not retry with retryOn401: false', async () => {
    register({ retryOn401: false });
    await api.get('/warm-up');
    server.valid.clear();

    const error = await rejection(api.get('/members'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(server.callsTo('/members')).toHaveLength(1);
    expect(server.tokenRequests).toHaveLength(1);
  });

  it('releases a 401 read as a stream before re-sending (one socket suffices)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    api = axios.create({ baseURL: server.url, httpAgent: agent });
    register();
    await api.get('/warm-up');
    server.valid.clear();

    const response = await api.get('/members', { responseType: 'stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of response.data as Readable) chunks.push(chunk as Buffer);
    agent.destroy();

    expect(response.status).toBe(200);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({ path: '/members' });
    expect(server.callsTo('/members')).toHaveLength(2);
  });
});

describe('with the fetch adapter', () => {
  it('attaches the token and re-sends a POST body identically after a 401', async () => {
    api = axios.create({ baseURL: server.url, adapter: 'fetch' });
    register({ headers: { 'X-Tenant-Id': 't' } });
    await api.get('/warm-up');
    server.valid.clear();

    const response = await api.post('/members', { name: 'Ada' });

    expect(response.status).toBe(200);
    const [first, second] = server.callsTo('/members');
    expect(first?.headers.authorization).toBe('Bearer tok-1');
    expect(second?.headers.authorization).toBe('Bearer tok-2');
    expect(second?.headers['x-tenant-id']).toBe('t');
    expect(second?.body).toBe(first?.body);
  });
});

describe('redirects', () => {
  let other: TestServer;
  beforeEach(async () => {
    other = await startServer();
    other.route('/landing', (_request, response) => json(response, 200, { landed: true }));
    server.route('/landing', (_request, response) => json(response, 200, { landed: true }));
    server.route('/away', (_request, response) => {
      // Cross-origin: another host name and port (127.0.0.1 → localhost).
      response.writeHead(302, { location: `http://localhost:${other.port}/landing` });
      response.end();
    });
    server.route('/here', (_request, response) => {
      response.writeHead(302, { location: '/landing' });
      response.end();
    });
  });
  afterEach(() => other.close());

  it('drops the token and the extra headers on a cross-origin redirect', async () => {
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });

    const response = await api.get('/away');

    expect(response.data).toEqual({ landed: true });
    expect(server.callsTo('/away')[0]?.headers.authorization).toBe('Bearer tok-1');
    const landed = other.callsTo('/landing')[0];
    expect(landed?.headers.host).toBe(`localhost:${other.port}`);
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-tenant-id']).toBeUndefined();
  });

  it('keeps the token and the extra headers on a same-origin redirect', async () => {
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });

    await api.get('/here');

    const landed = server.callsTo('/landing')[0];
    expect(landed?.headers.authorization).toBe('Bearer tok-1');
    expect(landed?.headers['x-tenant-id']).toBe('tenant-1');
  });

  it('drops them when redirected to a subdomain on the same port (a different origin)', async () => {
    api = axios.create({
      baseURL: `http://localhost:${server.port}`,
      lookup: (_hostname, _options, callback) => callback(null, '127.0.0.1', 4),
    });
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    server.route('/to-subdomain', (_request, response) => {
      response.writeHead(307, { location: `http://api.localhost:${server.port}/landing` });
      response.end();
    });

    await api.get('/to-subdomain');

    const landed = server.callsTo('/landing')[0];
    expect(landed?.headers.host).toBe(`api.localhost:${server.port}`);
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-tenant-id']).toBeUndefined();
  });

  it("still calls the caller's own beforeRedirect, once per hop, also on the retry", async () => {
    const beforeRedirect = vi.fn();
    api = axios.create({ baseURL: server.url, beforeRedirect });
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    await api.get('/warm-up');
    server.valid.clear();
    server.route('/landing', (request, response) =>
      server.authorized(request) ? json(response, 200, {}) : json(response, 401, {}),
    );

    await api.get('/here');

    expect(beforeRedirect).toHaveBeenCalledTimes(2);
    expect(server.callsTo('/landing').map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  it('(axios itself) strips Authorization but forwards other headers cross-origin: the guard is needed', async () => {
    const plain = axios.create({ baseURL: server.url });

    await plain.get('/away', { headers: { Authorization: 'Bearer manual', 'X-Tenant-Id': 't' } });

    const landed = other.callsTo('/landing')[0];
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-tenant-id']).toBe('t');
  });

  it('fetch adapter with extra headers: follows cross-origin redirects without Authorization or the extra headers', async () => {
    api = axios.create({ baseURL: server.url, adapter: 'fetch' });
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });

    const response = await api.get('/away');

    expect(response.data).toEqual({ landed: true });
    const landed = other.callsTo('/landing')[0];
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-tenant-id']).toBeUndefined();
  });

  it('fetch adapter: keeps the token and the extra headers on a same-origin redirect', async () => {
    api = axios.create({ baseURL: server.url, adapter: 'fetch' });
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });

    await api.get('/here');

    const landed = server.callsTo('/landing')[0];
    expect(landed?.headers.authorization).toBe('Bearer tok-1');
    expect(landed?.headers['x-tenant-id']).toBe('tenant-1');
  });

  it('fetch adapter without extra headers: follows, and fetch drops Authorization cross-origin', async () => {
    api = axios.create({ baseURL: server.url, adapter: 'fetch' });
    register();

    const response = await api.get('/away');

    expect(response.data).toEqual({ landed: true });
    expect(other.callsTo('/landing')[0]?.headers.authorization).toBeUndefined();
  });
});

describe('abort, timeout and token errors', () => {
  it('an already aborted request rejects with CanceledError and sends nothing, token at hand or not', async () => {
    register();
    const aborted = AbortSignal.abort();
    expect(isCancel(await rejection(api.get('/members', { signal: aborted })))).toBe(true);
    await api.get('/warm');
    expect(isCancel(await rejection(api.get('/members', { signal: aborted })))).toBe(true);
    expect(server.calls.map((call) => call.path)).toEqual(['/warm']);
  });

  /** Sends a GET to `path` and aborts it while the `from`-th token answer (1-based) is held. */
  async function abortWhileTokenHeld(path: string, from = 1): Promise<unknown> {
    const arrived = deferred();
    const release = deferred();
    server.tokenReply = async (count) => {
      if (count < from) return undefined;
      arrived.resolve();
      await release.promise;
      return undefined;
    };
    const controller = new AbortController();
    const pending = rejection(api.get(path, { signal: controller.signal }));
    await arrived.promise;
    controller.abort();
    const error = await pending;
    release.resolve();
    return error;
  }

  it('an abort while waiting for the token rejects with CanceledError and sends nothing', async () => {
    register();
    expect(isCancel(await abortWhileTokenHeld('/members'))).toBe(true);
    expect(server.calls).toHaveLength(0);
  });

  it('an abort during the API call rejects with CanceledError and is not retried', async () => {
    register();
    const arrived = deferred();
    server.route('/slow', () => arrived.resolve()); // never answers
    const controller = new AbortController();

    const pending = rejection(api.get('/slow', { signal: controller.signal }));
    await arrived.promise;
    controller.abort();

    expect(isCancel(await pending)).toBe(true);
    expect(server.callsTo('/slow')).toHaveLength(1);
  });

  it('an abort while the retry waits for a new token rejects with CanceledError', async () => {
    register();
    await api.get('/warm-up');
    server.valid.clear();
    expect(isCancel(await abortWhileTokenHeld('/members', 2))).toBe(true);
    expect(server.callsTo('/members')).toHaveLength(1);
  });

  it("axios's timeout still applies to each attempt", async () => {
    register();
    server.route('/hang', () => {});

    const error = await rejection(api.get('/hang', { timeout: 50 }));

    expect(isAxiosError(error) && error.code).toBe('ECONNABORTED');
    expect(server.callsTo('/hang')).toHaveLength(1);
  });

  it('a TokenEndpointError reaches the caller unchanged and the API is not called', async () => {
    register();
    server.tokenReply = () => ({
      status: 401,
      body: JSON.stringify({
        error: 'invalid_client',
        error_description: 'Invalid client credentials',
      }),
    });

    const error = await rejection(api.get('/members'));

    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error instanceof TokenEndpointError && error.error).toBe('invalid_client');
    expect(isAxiosError(error)).toBe(false);
    expect(server.calls).toHaveLength(0);
  });

  it('a TokenResponseError (HTML with 200) reaches the caller unchanged', async () => {
    register();
    server.tokenReply = () => ({
      status: 200,
      body: '<html>login</html>',
      contentType: 'text/html',
    });

    await expect(api.get('/members')).rejects.toBeInstanceOf(TokenResponseError);
    expect(server.calls).toHaveLength(0);
  });

  it('a token error while re-sending after a 401 reaches the caller unchanged', async () => {
    register();
    await api.get('/warm-up');
    server.valid.clear();
    server.tokenReply = (count) =>
      count === 1 ? undefined : { status: 400, body: JSON.stringify({ error: 'invalid_client' }) };

    const error = await rejection(api.get('/members'));

    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(server.callsTo('/members')).toHaveLength(1);
  });
});
