/**
 * The metrics of tokenwise, recorded from its diagnostics channels' events.
 *
 * @module
 */
import type { Attributes, Meter } from '@opentelemetry/api';
import type { TokenEvent } from '@tokenwise/core';
import { endpointAttributes } from './attributes.ts';

/** An event handler per channel name (`tokenwise:<type>`). */
export type EventHandlers = ReadonlyMap<string, (message: unknown) => void>;

/**
 * Makes the instruments on `meter` and the handlers that record into them:
 * - `tokenwise.token.request.duration` (histogram, s): each token request, retries included,
 *   with `http.request.method`, `server.address`, `server.port`, `http.response.status_code`
 *   when there was an answer, `error.type` when it failed, and `tokenwise.grant_type`;
 * - `tokenwise.token.cache.hits` and `tokenwise.token.cache.misses` (counters): `getToken()`
 *   answered from the cache or not;
 * - `tokenwise.token.refresh_ahead.runs` (counter): renewals ahead of expiry started;
 * - `tokenwise.reauthorizations` (counter): adapters' decisions after a rejected token, with
 *   `tokenwise.reauthorization.decision`.
 *
 * Every instrument carries `tokenwise.grant` and `server.address` of the token endpoint; none the
 * cache key (one series per tenant would be unbounded).
 *
 * @example
 * ```ts
 * const handlers = tokenMetrics(meterProvider.getMeter('@tokenwise/opentelemetry'));
 * for (const [name, handler] of handlers) subscribe(name, handler);
 * ```
 */
export function tokenMetrics(meter: Meter): EventHandlers {
  const duration = meter.createHistogram('tokenwise.token.request.duration', {
    description: 'Duration of token requests, retries and their waits included.',
    unit: 's',
    advice: {
      explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    },
  });
  const hits = meter.createCounter('tokenwise.token.cache.hits', {
    description: 'getToken() calls answered from the cache.',
    unit: '{call}',
  });
  const misses = meter.createCounter('tokenwise.token.cache.misses', {
    description: 'getToken() calls that waited for a token request.',
    unit: '{call}',
  });
  const refreshesAhead = meter.createCounter('tokenwise.token.refresh_ahead.runs', {
    description: 'Renewals started ahead of expiry, in the background.',
    unit: '{run}',
  });
  const reauthorizations = meter.createCounter('tokenwise.reauthorizations', {
    description: 'Answers that rejected a token, by the decision taken.',
    unit: '{answer}',
  });
  const common = (event: TokenEvent): Attributes => ({
    'tokenwise.grant': event.grant,
    'server.address': endpointAttributes(event.tokenUrl)['server.address'],
  });
  const requestDone = (message: unknown): void => {
    const event = message as Extract<TokenEvent, { type: 'token.obtained' | 'token.failed' }>;
    const attributes: Attributes = {
      ...common(event),
      ...endpointAttributes(event.tokenUrl),
      'tokenwise.grant_type': event.grantType,
    };
    delete attributes['url.full'];
    if (event.status !== undefined) attributes['http.response.status_code'] = event.status;
    if (event.type === 'token.failed')
      attributes['error.type'] = event.error.code ?? event.error.name;
    duration.record(event.durationMs / 1000, attributes);
  };
  return new Map<string, (message: unknown) => void>([
    ['tokenwise:token.obtained', requestDone],
    ['tokenwise:token.failed', requestDone],
    ['tokenwise:token.cache_hit', (message) => hits.add(1, common(message as TokenEvent))],
    ['tokenwise:token.cache_miss', (message) => misses.add(1, common(message as TokenEvent))],
    [
      'tokenwise:token.refresh_ahead',
      (message) => refreshesAhead.add(1, common(message as TokenEvent)),
    ],
    [
      'tokenwise:reauthorization',
      (message) => {
        const event = message as Extract<TokenEvent, { type: 'reauthorization' }>;
        const attributes = {
          ...common(event),
          'tokenwise.reauthorization.decision': event.decision,
        };
        reauthorizations.add(1, attributes);
      },
    ],
  ]);
}
