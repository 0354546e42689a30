/**
 * `@tokenwise/opentelemetry` with the real OpenTelemetry SDK (in-memory span exporter, a reader
 * collecting on demand) through every tokenwise client: `createAuthFetch`, axios, got and ky
 * against the loopback server. A cold request makes one `tokenwise.token_request` span; after
 * `revokeAll()` a request is re-authorized (counted as `renew`) with one more span; the cache
 * counts one miss per token request and a hit per other request.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { type DataPoint, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { axiosAuth } from '@tokenwise/axios-auth';
import {
  clientCredentials,
  createAuthFetch,
  createTokenManager,
  type TokenManager,
} from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import { kyAuth } from '@tokenwise/ky-auth';
import { TokenwiseInstrumentation } from '@tokenwise/opentelemetry';
import {
  clientId,
  clientSecret,
  closeAllServers,
  type LoopbackServer,
  startServer,
} from '@tokenwise/test-kit';
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A GET through one client of `tokens`, resolving to the status. */
type Get = (url: string) => Promise<number>;

const clients: Record<string, (tokens: TokenManager) => Get> = {
  fetch(tokens) {
    const authedFetch = createAuthFetch({ tokens });
    return async (url) => {
      const response = await authedFetch(url);
      await response.arrayBuffer();
      return response.status;
    };
  },
  axios(tokens) {
    const instance = axios.create({ validateStatus: () => true });
    axiosAuth(instance, { tokens });
    return async (url) => (await instance.get(url)).status;
  },
  got(tokens) {
    const client = got.extend(gotAuth({ tokens }), { throwHttpErrors: false, retry: { limit: 0 } });
    return async (url) => (await client.get(url)).statusCode;
  },
  ky(tokens) {
    const api = ky.create({ ...kyAuth({ tokens }), throwHttpErrors: false, retry: 0 });
    return async (url) => (await api.get(url)).status;
  },
};

let server: LoopbackServer;
let tokens: TokenManager;
let exporter: InMemorySpanExporter;
let reader: OnDemandReader;
let stop: () => Promise<void>;

beforeEach(async () => {
  server = await startServer();
  tokens = createTokenManager({
    flow: clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret }),
    retry: false,
  });
  exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const unregister = registerInstrumentations({
    instrumentations: [new TokenwiseInstrumentation()],
    tracerProvider,
    meterProvider,
  });
  stop = async () => {
    unregister();
    await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
  };
});
afterEach(async () => {
  await tokens.close();
  await stop();
  await closeAllServers();
});

/** The value of each data point of `name`, keyed by its attribute `key` (or `all`). */
async function values(name: string, key?: string): Promise<Record<string, unknown>> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((candidate) => candidate.descriptor.name === name);
  const points = (metric?.dataPoints ?? []) as DataPoint<number>[];
  return Object.fromEntries(
    points.map((point) => [key === undefined ? 'all' : String(point.attributes[key]), point.value]),
  );
}

describe.each(Object.keys(clients))('OpenTelemetry through %s', (name) => {
  it('a span per token request, and a re-authorization counted after a revocation', async () => {
    const get = (clients[name] as (tokens: TokenManager) => Get)(tokens);
    expect(await get(server.url('/members/1'))).toBe(200);
    expect(await get(server.url('/members/2'))).toBe(200);
    server.revokeAll();
    expect(await get(server.url('/members/3?key=k'))).toBe(200);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'tokenwise.token_request',
      'tokenwise.token_request',
    ]);
    expect(spans.map((span) => span.attributes['http.response.status_code'])).toEqual([200, 200]);
    expect(
      await values('tokenwise.reauthorizations', 'tokenwise.reauthorization.decision'),
    ).toEqual({
      renew: 1,
    });
    expect(await values('tokenwise.token.cache.misses')).toEqual({ all: 2 });
    expect(await values('tokenwise.token.cache.hits')).toEqual({ all: 2 });
  });
});
