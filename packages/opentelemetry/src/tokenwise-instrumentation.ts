/**
 * `TokenwiseInstrumentation`: OpenTelemetry spans and metrics for tokenwise, from its
 * diagnostics channels.
 *
 * @module
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  type MeterProvider,
  metrics,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { type EventHandlers, tokenMetrics } from './token-metrics.ts';
import { tokenRequestSpans } from './token-request-spans.ts';

/**
 * Options of {@link TokenwiseInstrumentation}.
 *
 * @example
 * ```ts
 * const config: TokenwiseInstrumentationConfig = { enabled: true };
 * ```
 */
export interface TokenwiseInstrumentationConfig {
  /** Subscribe at once, on creation. @default true */
  enabled?: boolean;
}

const name = '@tokenwise/opentelemetry';
/** This package's version, which names the tracer and the meter. */
const version = '0.1.0';

/**
 * OpenTelemetry instrumentation for tokenwise: a span `tokenwise.token_request` per token request
 * and the metrics `tokenwise.token.request.duration`, `tokenwise.token.cache.hits`,
 * `tokenwise.token.cache.misses`, `tokenwise.token.refresh_ahead.runs` and
 * `tokenwise.reauthorizations` (see the README for their attributes).
 *
 * It needs no loader hook and patches nothing: it subscribes to the `node:diagnostics_channel`
 * channels every token manager publishes on (`tokenwise:<event type>` and the tracing channel
 * `tokenwise:token_request`), so the order of imports does not matter. It has the shape of an
 * OpenTelemetry `Instrumentation`: register it with `registerInstrumentations`, or call
 * `setTracerProvider` and `setMeterProvider` yourself. Without either, it uses the global
 * providers.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 * @example
 * ```ts
 * import { registerInstrumentations } from '@opentelemetry/instrumentation';
 * import { TokenwiseInstrumentation } from '@tokenwise/opentelemetry';
 *
 * registerInstrumentations({ instrumentations: [new TokenwiseInstrumentation()] });
 * ```
 */
export class TokenwiseInstrumentation {
  /** `@tokenwise/opentelemetry`: the instrumentation scope of its spans and metrics. */
  readonly instrumentationName: string = name;
  /** The version of the instrumentation scope. */
  readonly instrumentationVersion: string = version;
  #config: TokenwiseInstrumentationConfig;
  #tracerProvider: TracerProvider | undefined;
  #tracer: Tracer | undefined;
  #handlers: EventHandlers | undefined;
  #enabled = false;
  readonly #spans = tokenRequestSpans(() => this.#currentTracer());

  constructor(config: TokenwiseInstrumentationConfig = {}) {
    this.#config = { enabled: true, ...config };
    if (this.#config.enabled) this.enable();
  }

  /** Subscribes to tokenwise's channels (again after `disable`). Calling it twice does nothing. */
  enable(): void {
    if (this.#enabled) return;
    this.#enabled = true;
    this.#config = { ...this.#config, enabled: true };
    diagnosticsChannel.tracingChannel('tokenwise:token_request').subscribe(this.#spans);
    this.#handlers ??= tokenMetrics(metrics.getMeter(name, version));
    this.#subscribe(this.#handlers);
  }

  /** Unsubscribes: no span and no measurement until `enable`. */
  disable(): void {
    if (!this.#enabled) return;
    this.#enabled = false;
    this.#config = { ...this.#config, enabled: false };
    diagnosticsChannel.tracingChannel('tokenwise:token_request').unsubscribe(this.#spans);
    if (this.#handlers !== undefined) this.#unsubscribe(this.#handlers);
  }

  /** The provider of the tracer that makes the spans. @default the global one */
  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracerProvider = tracerProvider;
    this.#tracer = undefined;
  }

  /** The provider of the meter that records the metrics. @default the global one */
  setMeterProvider(meterProvider: MeterProvider): void {
    const handlers = tokenMetrics(meterProvider.getMeter(name, version));
    if (this.#enabled && this.#handlers !== undefined) this.#unsubscribe(this.#handlers);
    this.#handlers = handlers;
    if (this.#enabled) this.#subscribe(handlers);
  }

  /** Replaces the options; `enabled` is applied by `enable` and `disable`, not here. */
  setConfig(config: TokenwiseInstrumentationConfig): void {
    this.#config = { ...config, enabled: this.#enabled };
  }

  /** The options, with `enabled` telling whether it is subscribed. */
  getConfig(): TokenwiseInstrumentationConfig {
    return this.#config;
  }

  #currentTracer(): Tracer {
    this.#tracer ??= (this.#tracerProvider ?? trace.getTracerProvider()).getTracer(name, version);
    return this.#tracer;
  }

  #subscribe(handlers: EventHandlers): void {
    for (const [channel, handler] of handlers) diagnosticsChannel.subscribe(channel, handler);
  }

  #unsubscribe(handlers: EventHandlers): void {
    for (const [channel, handler] of handlers) diagnosticsChannel.unsubscribe(channel, handler);
  }
}
