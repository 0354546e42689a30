/**
 * TokenwiseInstrumentation with the real OpenTelemetry SDK (in-memory exporter and reader)
 * against the loopback token server: spans and metrics of token requests, the cache, refreshes
 * ahead and re-authorizations, through a token manager and `createAuthFetch`.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '@tokenwise/core';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelemetry, type Telemetry } from './test-support/telemetry.ts';

let server: LoopbackServer;
let telemetry: Telemetry;
const managers: TokenManager[] = [];

beforeEach(async () => {
  server = await startServer();
  telemetry = startTelemetry();
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  await telemetry.close();
  await closeAllServers();
});

function manage(options: Partial<TokenManagerOptions> = {}): TokenManager {
  const manager = createTokenManager({
    flow: clientCredentials({ tokenUrl: `${server.tokenUrl}?tenant=t1`, clientId, clientSecret }),
    ...options,
  });
  managers.push(manager);
  return manager;
}

const endpoint = () => new URL(server.tokenUrl);

describe('spans', () => {
  it('one CLIENT span per token request, with the HTTP attributes and no query string', async () => {
    const tokens = manage();
    await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
    const spans = telemetry.spans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span?.name).toBe('tokenwise.token_request');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': endpoint().hostname,
      'server.port': Number(endpoint().port),
      'url.full': server.tokenUrl,
      'http.response.status_code': 200,
      'tokenwise.grant_type': 'client_credentials',
      'tokenwise.token_request.reason': 'needed',
    });
    expect(JSON.stringify(span?.attributes)).not.toContain('tenant');
  });

  it('status ERROR with error.type and the status code when the token endpoint refuses', async () => {
    server.script({
      status: 401,
      body: { error: 'invalid_client', error_description: 'bad secret' },
    });
    await expect(manage({ retry: false }).getToken()).rejects.toThrow();
    const [span] = telemetry.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_TOKEN_ENDPOINT' });
    expect(span?.attributes).toMatchObject({
      'http.response.status_code': 401,
      'error.type': 'ERR_TOKEN_ENDPOINT',
    });
    const { name, attributes, status, events } = span ?? {};
    expect(JSON.stringify({ name, attributes, status, events })).not.toContain('bad secret');
  });

  it('counts the resends of a request retried after a 503', async () => {
    server.script({ status: 503, body: 'down' });
    await manage({ retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 } }).getToken();
    const [span] = telemetry.spans();
    expect(span?.attributes).toMatchObject({
      'http.request.resend_count': 1,
      'http.response.status_code': 200,
    });
  });

  it('stops after disable() and starts again after enable()', async () => {
    telemetry.instrumentation.disable();
    expect(telemetry.instrumentation.getConfig().enabled).toBe(false);
    await manage().getToken();
    expect(telemetry.spans()).toHaveLength(0);
    telemetry.instrumentation.enable();
    await manage({ cacheKey: 'another' }).getToken();
    expect(telemetry.spans()).toHaveLength(1);
  });
});

describe('metrics', () => {
  it('records token request durations in seconds, and cache hits and misses', async () => {
    const tokens = manage();
    await Promise.all([tokens.getToken(), tokens.getToken()]);
    await tokens.getToken();
    await tokens.getToken();
    const [duration] = await telemetry.points('tokenwise.token.request.duration');
    expect(duration?.attributes).toEqual({
      'tokenwise.grant': 'client_credentials',
      'tokenwise.grant_type': 'client_credentials',
      'server.address': endpoint().hostname,
      'server.port': Number(endpoint().port),
      'http.response.status_code': 200,
    });
    const histogram = duration?.value as { count: number; sum: number };
    expect(histogram.count).toBe(1);
    expect(histogram.sum).toBeGreaterThan(0);
    expect(histogram.sum).toBeLessThan(5);
    const [hits] = await telemetry.points('tokenwise.token.cache.hits');
    const [misses] = await telemetry.points('tokenwise.token.cache.misses');
    expect({ hits: hits?.value, misses: misses?.value }).toEqual({ hits: 2, misses: 2 });
  });

  it('counts refreshes ahead', async () => {
    let now = Date.now();
    const tokens = manage({ now: () => now, random: () => 0 });
    await tokens.getToken();
    now += 3_600_000 - 60_000;
    await tokens.getToken();
    const [runs] = await telemetry.points('tokenwise.token.refresh_ahead.runs');
    expect(runs?.value).toBe(1);
    await expect.poll(() => telemetry.spans().length).toBe(2);
    expect(telemetry.spans()[1]?.attributes['tokenwise.token_request.reason']).toBe('ahead');
  });

  it('counts re-authorizations by decision, through createAuthFetch', async () => {
    const tokens = manage();
    const api = createAuthFetch({ tokens });
    await api(server.url('/api/me'));
    await server.revokeAll();
    const response = await api(server.url('/api/me'));
    expect(response.status).toBe(200);
    const points = await telemetry.points('tokenwise.reauthorizations');
    expect(
      points.map((point) => [point.attributes['tokenwise.reauthorization.decision'], point.value]),
    ).toEqual([['renew', 1]]);
    expect(telemetry.spans()).toHaveLength(2);
  });
});
