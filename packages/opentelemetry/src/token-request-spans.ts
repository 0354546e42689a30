/**
 * A span per token request, from the `tokenwise:token_request` tracing channel.
 *
 * @module
 */
import {
  type Attributes,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import type { TokenRequestTrace } from '@tokenwise/core';
import { endpointAttributes } from './attributes.ts';

/**
 * The handlers of the token request tracing channel: a `tokenwise.token_request` span (kind
 * CLIENT) from `start` to `asyncEnd`, with the HTTP semantic-convention attributes of its
 * answer; status ERROR and `error.type` when it failed. Never a query string, a body or a
 * header value: the trace holds none.
 *
 * @example
 * ```ts
 * tracingChannel('tokenwise:token_request').subscribe(tokenRequestSpans(() => tracer));
 * ```
 */
export function tokenRequestSpans(tracer: () => Tracer): {
  start(message: unknown): void;
  end(): void;
  asyncStart(): void;
  asyncEnd(message: unknown): void;
  error(): void;
} {
  const spans = new WeakMap<object, Span>();
  return {
    start(message) {
      const { requested } = message as TokenRequestTrace;
      const attributes: Attributes = {
        'http.request.method': requested.method,
        ...endpointAttributes(requested.tokenUrl),
        'tokenwise.grant_type': requested.grantType,
        'tokenwise.token_request.reason': requested.reason,
      };
      const span = tracer().startSpan('tokenwise.token_request', {
        kind: SpanKind.CLIENT,
        attributes,
      });
      spans.set(message as object, span);
    },
    end() {},
    asyncStart() {},
    asyncEnd(message) {
      const span = spans.get(message as object);
      if (span === undefined) return;
      spans.delete(message as object);
      const { result, failed } = message as TokenRequestTrace;
      const outcome = result ?? failed;
      if (outcome?.status !== undefined)
        span.setAttribute('http.response.status_code', outcome.status);
      if (outcome !== undefined && outcome.attempt > 1)
        span.setAttribute('http.request.resend_count', outcome.attempt - 1);
      if (failed !== undefined) {
        const errorType = failed.error.code ?? failed.error.name;
        span.setAttribute('error.type', errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      }
      span.end();
    },
    error() {},
  };
}
