import { Agent } from 'node:http';
import type { Readable } from 'node:stream';
import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  TokenResponseError,
} from '@tokenwise/core';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AxiosAuthOptions, axiosAuth } from './index.ts';
import { json, startServer, type TestServer } from './test-support/server.ts';

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
});

describe('origin scoping', () => {
  let other: TestServer;
  beforeEach(async () => {
    other = await startServer();
  });
  afterEach(() => other.close());

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
});

describe('401', () => {
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

  it('drops the token and the extra headers when redirected to a subdomain on the same port (a different origin)', async () => {
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
});

describe('abort, timeout and token errors', () => {
  it("axios's timeout still applies to each attempt", async () => {
    register();
    server.route('/hang', () => {});

    const error = await rejection(api.get('/hang', { timeout: 50 }));

    expect(isAxiosError(error) && error.code).toBe('ECONNABORTED');
    expect(server.callsTo('/hang')).toHaveLength(1);
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
});
