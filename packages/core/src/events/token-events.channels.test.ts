/**
 * The same events on `node:diagnostics_channel`, the token request's tracing channel, the cost
 * of events nobody listens to, and a throwing `onEvent` without `onError`.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { manage, server, useManagerFixture } from '../test-support/manager-fixture.ts';
import type { Token } from '../token.ts';
import type { TokenEvent } from './token-event.ts';
import { TokenEvents } from './token-events.ts';
import type { TokenRequestTrace } from './token-request-trace.ts';

useManagerFixture();

const unsubscribes: (() => void)[] = [];
afterEach(() => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  vi.restoreAllMocks();
});

function subscribe(name: string, listener: (message: unknown) => void): void {
  diagnosticsChannel.subscribe(name, listener);
  unsubscribes.push(() => diagnosticsChannel.unsubscribe(name, listener));
}

/** Every phase of the token request's tracing channel, with its context. */
function traceTokenRequests(): { phase: string; trace: TokenRequestTrace }[] {
  const seen: { phase: string; trace: TokenRequestTrace }[] = [];
  const record = (phase: string) => (trace: unknown) =>
    seen.push({ phase, trace: trace as TokenRequestTrace });
  const handlers = {
    start: record('start'),
    end: record('end'),
    asyncStart: record('asyncStart'),
    asyncEnd: record('asyncEnd'),
    error: record('error'),
  };
  const tracing = diagnosticsChannel.tracingChannel('tokenwise:token_request');
  tracing.subscribe(handlers);
  unsubscribes.push(() => tracing.unsubscribe(handlers));
  return seen;
}

describe('diagnostics channels', () => {
  it('publish on tokenwise:<type> the very objects onEvent gets', async () => {
    const given: TokenEvent[] = [];
    const published: unknown[] = [];
    for (const type of ['token.requested', 'token.obtained', 'token.cache_hit'])
      subscribe(`tokenwise:${type}`, (message) => published.push(message));
    const tokens = manage({ onEvent: (event) => given.push(event) });
    await tokens.getToken();
    await tokens.getToken();
    const types = ['token.requested', 'token.obtained', 'token.cache_hit'];
    expect(published).toEqual(given.filter((event) => types.includes(event.type)));
    expect(published).toHaveLength(3);
    published.forEach((event, index) => {
      expect(event).toBe(given.filter((e) => types.includes(e.type))[index]);
    });
  });

  it('publish without onEvent', async () => {
    const published: unknown[] = [];
    subscribe('tokenwise:token.obtained', (message) => published.push(message));
    await manage().getToken();
    expect(published).toEqual([expect.objectContaining({ type: 'token.obtained', status: 200 })]);
  });

  it('trace a token request from start to asyncEnd, with the obtained event as result, never the token', async () => {
    const seen = traceTokenRequests();
    const token = await manage().getToken();
    expect(seen.map(({ phase }) => phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const { trace } = seen[0] as { trace: TokenRequestTrace };
    expect(new Set(seen.map((entry) => entry.trace))).toEqual(new Set([trace]));
    expect(trace.requested).toMatchObject({ type: 'token.requested', method: 'POST' });
    expect(trace.result).toMatchObject({ type: 'token.obtained', status: 200, attempt: 1 });
    expect(JSON.stringify(trace)).not.toContain(token.accessToken);
  });

  it('trace a failed token request through its error phase', async () => {
    server.script({ status: 401, body: { error: 'invalid_client' } });
    const seen = traceTokenRequests();
    const failure = await manage({ retry: false })
      .getToken()
      .catch((error: unknown) => error);
    expect(seen.map(({ phase }) => phase)).toEqual([
      'start',
      'end',
      'error',
      'asyncStart',
      'asyncEnd',
    ]);
    const { trace } = seen[0] as { trace: TokenRequestTrace };
    expect(failure).toBeInstanceOf(Error);
    expect(trace.error).toEqual({ name: 'TokenEndpointError', code: 'ERR_TOKEN_ENDPOINT' });
    expect(trace.failed).toMatchObject({ status: 401, error: { code: 'ERR_TOKEN_ENDPOINT' } });
  });
});

describe('nobody listening', () => {
  it('builds no event at all', async () => {
    const built = vi.spyOn(TokenEvents.prototype, 'base');
    const tokens = manage();
    const token: Token = await tokens.getToken();
    await tokens.getToken();
    await tokens.invalidate(token.accessToken);
    await tokens.getToken();
    expect(built).not.toHaveBeenCalled();
  });

  it('builds events once a channel has a subscriber', async () => {
    const built = vi.spyOn(TokenEvents.prototype, 'base');
    const tokens = manage();
    await tokens.getToken();
    expect(built).not.toHaveBeenCalled();
    subscribe('tokenwise:token.cache_hit', () => {});
    await tokens.getToken();
    expect(built).toHaveBeenCalledTimes(1);
  });

  it('makes no events object for the manager until someone listens, then one, kept', async () => {
    // `keyFrom` is called once, where a manager's events are made.
    const made = vi.spyOn(TokenEvents.prototype, 'keyFrom');
    const tokens = manage();
    const token: Token = await tokens.getToken();
    await tokens.invalidate(token.accessToken);
    await tokens.getToken({ forceRefresh: true });
    expect(made).not.toHaveBeenCalled();
    subscribe('tokenwise:token.cache_hit', () => {});
    await tokens.getToken();
    await tokens.getToken();
    expect(made).toHaveBeenCalledTimes(1);
  });
});

describe('a subscriber that comes after the token', () => {
  it('sees the cacheKey option as given at once, not a placeholder', async () => {
    const tokens = manage({ cacheKey: 'tenant-42' });
    await tokens.getToken();
    const seen: TokenEvent[] = [];
    subscribe('tokenwise:token.cache_hit', (event) => seen.push(event as TokenEvent));
    await tokens.getToken();
    expect(seen.map((event) => event.cacheKey)).toEqual(['tenant-42']);
  });

  it("sees the manager's digest key once worked out, a placeholder meanwhile", async () => {
    const tokens = manage();
    await tokens.getToken();
    const seen: TokenEvent[] = [];
    subscribe('tokenwise:token.cache_hit', (event) => seen.push(event as TokenEvent));
    await tokens.getToken();
    await new Promise((resolve) => setTimeout(resolve, 10)); // the digest (WebCrypto)
    await tokens.getToken();
    const cacheKey = await tokens.cacheKey();
    expect(seen.map((event) => event.cacheKey)).toEqual(['tokenwise:client_credentials', cacheKey]);
  });
});
