/**
 * Contract: what a token manager reports while an adapter uses it, seen on the diagnostics
 * channels every manager publishes on (`tokenwise:<type>`, and the tracing channel
 * `tokenwise:token_request`): one token request for the first request, cache hits after it, and
 * after a 401 the adapter's re-authorization decision with the request's origin only.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/** The event types a manager reports, as core names them. */
const types = [
  'token.requested',
  'token.obtained',
  'token.failed',
  'token.backoff',
  'token.cache_hit',
  'token.cache_miss',
  'token.refresh_ahead',
  'token.invalidated',
  'token.refresh_token_rotated',
  'reauthorization',
  'store.error',
];

/** An event as the channels publish it: the fields this suite reads. */
interface SeenEvent {
  readonly type: string;
  readonly tokenUrl: string;
  readonly [field: string]: unknown;
}

/**
 * Events and token request traces through an adapter, for one adapter.
 *
 * @example
 * describeEvents(createContract(driver, useLoopback(driver.core)));
 */
export function describeEvents<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { client, get } = contract;

  describe('events and traces', () => {
    let events: SeenEvent[] = [];
    let traces: { phase: string; trace: { result?: { status?: number } } }[] = [];
    const unsubscribes: (() => void)[] = [];
    beforeEach(() => {
      events = [];
      traces = [];
      const push = (message: unknown) => events.push(message as SeenEvent);
      for (const type of types) {
        diagnosticsChannel.subscribe(`tokenwise:${type}`, push);
        unsubscribes.push(() => diagnosticsChannel.unsubscribe(`tokenwise:${type}`, push));
      }
      const record = (phase: string) => (trace: unknown) =>
        traces.push({ phase, trace: trace as { result?: { status?: number } } });
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
    });
    afterEach(() => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    });
    /** This test's events (its token endpoint's), by type, in order. */
    const seen = () => {
      const mine = events.filter((event) => event.tokenUrl === contract.a.tokenUrl);
      return mine.map((event) => event.type);
    };

    it('reports one token request for the first request, and a cache hit for each later one', async () => {
      const { a } = contract;
      const api = client();
      for (let i = 0; i < 3; i++) expect((await get(api, a.url(`/members/${i}`))).status).toBe(200);
      expect(seen()).toEqual([
        'token.cache_miss',
        'token.requested',
        'token.obtained',
        'token.cache_hit',
        'token.cache_hit',
      ]);
      expect(traces.map(({ phase }) => phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      expect(traces.at(-1)?.trace.result?.status).toBe(200);
    });

    it('reports a re-authorization after a 401 with the origin only, and the token it dropped', async () => {
      const { a } = contract;
      const api = client();
      await get(api, a.url('/warm'));
      a.revokeAll();
      expect((await get(api, a.url('/members/42?api_key=k-123'))).status).toBe(200);
      const reauthorizations = events.filter((event) => event.type === 'reauthorization');
      expect(reauthorizations).toEqual([
        expect.objectContaining({ decision: 'renew', origin: a.origin }),
      ]);
      expect(JSON.stringify(reauthorizations)).not.toMatch(/members|api_key|k-123/);
      expect(seen().slice(3)).toEqual([
        'token.cache_hit',
        'reauthorization',
        'token.invalidated',
        'token.cache_miss',
        'token.requested',
        'token.obtained',
      ]);
    });

    it('reports a fresh token refused again', async () => {
      const { a } = contract;
      const api = client();
      expect((await get(api, a.url('/always-401/members'))).status).toBe(401);
      const decisions = events
        .filter((event) => event.type === 'reauthorization')
        .map((event) => event.decision);
      expect(decisions).toEqual(['renew', 'refused_again']);
    });
  });
}
