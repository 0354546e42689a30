/**
 * One token request, observed: its `token.requested`, `token.backoff`, `token.obtained` and
 * `token.failed` events, and its trace on the `tokenwise:token_request` tracing channel.
 *
 * @module
 */
import type { ExchangeObserver } from '../internal/exchange-observer.ts';
import type { Token } from '../token.ts';
import { isTraced, type TracingChannel, tokenRequestTracing } from './diagnostics.ts';
import { listensFor } from './listeners.ts';
import { errorSummary, statusOf } from './safe-fields.ts';
import type {
  ErrorSummary,
  TokenFailedEvent,
  TokenObtainedEvent,
  TokenRequestedEvent,
  TokenRequestReason,
} from './token-event.ts';
import type { TokenEventSettings, TokenEvents } from './token-events.ts';

/**
 * The context object of the `tokenwise:token_request` tracing channel, the same object in each of
 * its phases (`start`, `end`, `asyncStart`, `asyncEnd`, `error`): what the request is, then how it
 * ended. Like every event, it holds no secret and no token: `result` is the `token.obtained`
 * event, never the token, and `error` the failure's {@link ErrorSummary}, never the error
 * itself (whose fields may quote what a server echoed).
 *
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel';
 * tracingChannel('tokenwise:token_request').subscribe({
 *   start(trace) {},
 *   asyncEnd(trace) { console.log((trace as TokenRequestTrace).result?.durationMs); },
 *   end() {}, asyncStart() {}, error() {},
 * });
 * ```
 */
export interface TokenRequestTrace {
  /** The request: its `token.requested` event. */
  readonly requested: TokenRequestedEvent;
  /** Set when the request obtained a token (the tracing channel's `result`). */
  result?: TokenObtainedEvent;
  /** Set when it failed, before the `error` phase. */
  failed?: TokenFailedEvent;
  /** Set when it failed, before the `error` phase: the error's name and code. */
  error?: ErrorSummary;
}

/**
 * What the observed request is.
 *
 * @example
 * ```ts
 * const request: ObservedRequest = { method: 'POST', grantType: 'refresh_token', reason: 'ahead' };
 * ```
 */
export interface ObservedRequest {
  readonly method: string;
  /** `refresh_token` for a refresh, else the flow's grant. */
  readonly grantType: string;
  readonly reason: TokenRequestReason;
}

const requestTypes = [
  'token.requested',
  'token.obtained',
  'token.failed',
  'token.backoff',
] as const;

/**
 * Runs `send` (one token request, its retries included) and reports it as events of the manager
 * (`eventsOfManager` makes them if they were not yet). When nobody listens for request events
 * (`onEvent`, a channel subscriber, the debug log) and nobody traces, `send` runs alone: no
 * event, no observer, no context.
 *
 * @example
 * ```ts
 * const token = await observeTokenRequest(settings.onEvent, () => managerEvents(settings),
 *   { method: 'POST', grantType: 'client_credentials', reason: 'needed' },
 *   (observer) => exchangeToken(request, { ...options, observer }));
 * ```
 */
export function observeTokenRequest(
  onEvent: TokenEventSettings['onEvent'],
  eventsOfManager: () => TokenEvents,
  request: ObservedRequest,
  send: (observer: ExchangeObserver | undefined) => Promise<Token>,
): Promise<Token> {
  const tracing = tokenRequestTracing();
  const traced = tracing !== undefined && isTraced(tracing);
  if (!traced && !requestTypes.some((type) => listensFor(onEvent, type))) return send(undefined);
  const events = eventsOfManager();
  const { grantType, reason } = request;
  const requested: TokenRequestedEvent = {
    type: 'token.requested',
    ...events.base(),
    method: request.method,
    grantType,
    reason,
  };
  let attempt = 1;
  let status: number | undefined;
  const observer: ExchangeObserver = {
    answered(answered) {
      status = answered;
    },
    retrying(failed, delayMs, failure) {
      attempt = failed + 1;
      if (!events.wants('token.backoff')) return;
      const error = errorSummary(failure);
      const backoff = { grantType, reason, attempt: failed, delayMs, status: statusOf(failure) };
      events.emit({ type: 'token.backoff', ...events.base(), ...backoff, error });
    },
  };
  const trace: TokenRequestTrace = { requested };
  const run = async (): Promise<Token> => {
    const { time } = requested;
    try {
      const token = await send(observer);
      const durationMs = events.base().time - time;
      const expiresInMs = events.expiresIn(token);
      const answer = { durationMs, attempt, status: status ?? 200, expiresInMs };
      trace.result = { type: 'token.obtained', ...events.base(), grantType, reason, ...answer };
      if (events.wants('token.obtained')) events.emit(trace.result);
      return token;
    } catch (error) {
      const durationMs = events.base().time - time;
      const failedAt = { durationMs, attempt, status: statusOf(error) ?? status };
      const summary = errorSummary(error);
      const failed: TokenFailedEvent = {
        type: 'token.failed',
        ...events.base(),
        grantType,
        reason,
        ...failedAt,
        error: summary,
      };
      trace.failed = failed;
      if (events.wants('token.failed')) events.emit(failed);
      throw error;
    }
  };
  if (events.wants('token.requested')) events.emit(requested);
  return traced ? traceRequest(tracing, trace, run) : run();
}

/**
 * Publishes the phases of a tracing channel around `run`, as `tracePromise` does, but with the
 * context's `result` and `error` set by `run` to safe values (the token and the error stay out).
 */
function traceRequest(
  tracing: TracingChannel,
  trace: TokenRequestTrace,
  run: () => Promise<Token>,
): Promise<Token> {
  tracing.start.publish(trace);
  const pending = run();
  tracing.end.publish(trace);
  return pending.then(
    (token) => {
      tracing.asyncStart.publish(trace);
      tracing.asyncEnd.publish(trace);
      return token;
    },
    (error: unknown) => {
      trace.error = trace.failed?.error ?? errorSummary(error);
      tracing.error.publish(trace);
      tracing.asyncStart.publish(trace);
      tracing.asyncEnd.publish(trace);
      throw error;
    },
  );
}
