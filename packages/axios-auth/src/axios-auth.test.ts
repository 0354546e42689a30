import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  TokenResponseError,
} from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AxiosAuthOptions, axiosAuth } from './index.ts';

let server: LoopbackServer;
let tokens: TokenManager;
let api: AxiosInstance;

beforeEach(async () => {
  server = await startServer();
  tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: server.tokenUrl,
      clientId,
      clientSecret,
      scope: 'idp_api',
    }),
  });
  api = axios.create({ baseURL: server.origin });
});

afterEach(async () => {
  await tokens.close();
  await closeAllServers();
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

    expect(seen).toEqual([`${server.origin}/eu/members?page=2`, `${server.origin}/us/members`]);
    expect(server.apiCalls.map((call) => call.headers['x-tenant-id'])).toEqual(['eu', 'us']);
  });

  it('joins baseURL and url as axios does, so the header function sees the URL axios calls', async () => {
    const seen: string[] = [];
    api = axios.create({ baseURL: `${server.origin}/v1//` });
    register({
      headers: (url) => {
        seen.push(url.href);
        return {};
      },
    });
    await api.get('members');
    await api.get(`${server.origin}/members`);
    await api.get(`${server.origin}/members`, { allowAbsoluteUrls: false });
    const joined = `/v1/${server.origin}/members`;
    expect(seen).toEqual([
      `${server.origin}/v1/members`,
      `${server.origin}/members`,
      `${server.origin}${joined}`,
    ]);
    expect(server.apiCalls.map((call) => [call.path, call.headers.authorization])).toEqual([
      ['/v1/members', 'Bearer tok-1'],
      ['/members', 'Bearer tok-1'],
      [joined, 'Bearer tok-1'],
    ]);
  });

  it('asks axios for the full URL (getUri merges the whole config) only for what reads it, once a call', async () => {
    const getUri = vi.spyOn(api, 'getUri');
    const eject = register({ headers: { 'X-Tenant-Id': 't' } });
    await api.get('/members', { params: { page: 1 } });
    expect(getUri).not.toHaveBeenCalled(); // one manager, static headers: the URL is not read
    eject();
    const seen: string[] = [];
    register({
      tokens: (request) => {
        seen.push(`${request.method} ${request.url}`);
        return tokens;
      },
      headers: (url) => ({ 'X-Page': url.searchParams.get('page') ?? '' }),
    });
    await api.post('/members', 'x', { params: { page: 2 } });
    expect(seen).toEqual([`POST ${server.origin}/members?page=2`]);
    expect(server.apiCalls[1]?.headers['x-page']).toBe('2');
    expect(getUri).toHaveBeenCalledTimes(1);
  });

  it('stops attaching after eject()', async () => {
    const eject = register({ headers: { 'X-Tenant-Id': 't' } });
    await api.get('/members');
    eject();

    const error = await rejection(api.get('/members'));

    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expect(server.apiCalls[1]?.headers.authorization).toBeUndefined();
    expect(server.apiCalls[1]?.headers['x-tenant-id']).toBeUndefined();
    expect(server.apiCalls).toHaveLength(2);
  });
});

describe('origin scoping', () => {
  it('checks the URL that goes out, after another interceptor changed it', async () => {
    const other = await startServer();
    register();
    await api.get('/warm'); // the token is at hand from now on
    // Registered later, so axios runs it first; async, so axios takes its asynchronous path.
    api.interceptors.request.use(async (config) =>
      config.url === '/elsewhere' ? { ...config, url: other.url('/members') } : config,
    );

    await expect(api.get('/members')).resolves.toMatchObject({ status: 200 });
    await rejection(api.get('/elsewhere'));

    expect(server.apiCalls.map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-1',
    ]);
    expect(other.apiCalls).toHaveLength(1);
    expect(other.apiCalls[0]?.headers.authorization).toBeUndefined();
  });
});

describe('401', () => {
  it('releases a 401 read as a stream before re-sending (one socket suffices)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    api = axios.create({ baseURL: server.origin, httpAgent: agent });
    register();
    await api.get('/warm-up');
    server.revokeAll();

    const response = await api.get('/members', { responseType: 'stream' });
    const chunks: Buffer[] = [];
    for await (const chunk of response.data as Readable) chunks.push(chunk as Buffer);
    agent.destroy();

    expect(response.status).toBe(200);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toMatchObject({
      path: '/members',
      authorization: 'Bearer tok-2',
    });
    expect(server.callsTo('/members')).toHaveLength(2);
  });
});

/** A path of `server` that redirects to `to` with `status`. */
const redirectTo = (to: string, status = 302): string =>
  `/redirect?to=${encodeURIComponent(to)}&status=${status}`;

describe('redirects', () => {
  it('drops the token and the extra headers when redirected to a subdomain on the same port (a different origin)', async () => {
    api = axios.create({
      baseURL: server.originAs('localhost'),
      lookup: (_hostname, _options, callback) => callback(null, '127.0.0.1', 4),
    });
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });

    await api.get(redirectTo(`${server.originAs('api.localhost')}/public/landing`, 307));

    const landed = server.callsTo('/public/landing')[0];
    expect(landed?.headers.host).toBe(`api.localhost:${server.port}`);
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-tenant-id']).toBeUndefined();
  });

  it("still calls the caller's own beforeRedirect, once per hop, also on the retry", async () => {
    const beforeRedirect = vi.fn();
    api = axios.create({ baseURL: server.origin, beforeRedirect });
    register({ headers: { 'X-Tenant-Id': 'tenant-1' } });
    await api.get('/warm-up');
    server.revokeAll();

    await api.get(redirectTo('/landing'));

    expect(beforeRedirect).toHaveBeenCalledTimes(2);
    expect(server.callsTo('/landing').map((call) => call.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  it('(axios itself) strips Authorization but forwards other headers cross-origin: the guard is needed', async () => {
    const other = await startServer();
    const plain = axios.create({ baseURL: server.origin });

    // Cross-origin: another host name and port (127.0.0.1 → localhost).
    await plain.get(redirectTo(`${other.originAs('localhost')}/public/landing`), {
      headers: { Authorization: 'Bearer manual', 'X-Tenant-Id': 't' },
    });

    const landed = other.callsTo('/public/landing')[0];
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['x-tenant-id']).toBe('t');
  });
});

describe('abort, timeout and token errors', () => {
  it("axios's timeout still applies to each attempt", async () => {
    register();
    await tokens.getToken(); // the 50 ms bound the hanging request, not the first token request

    const error = await rejection(api.get('/hang', { timeout: 50 }));

    expect(isAxiosError(error) && error.code).toBe('ECONNABORTED');
    expect(server.callsTo('/hang')).toHaveLength(1);
  });

  it('a TokenResponseError (HTML with 200) reaches the caller unchanged', async () => {
    register();
    server.script({ status: 200, body: '<html>login</html>' });

    await expect(api.get('/members')).rejects.toBeInstanceOf(TokenResponseError);
    expect(server.apiCalls).toHaveLength(0);
  });
});
