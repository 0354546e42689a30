/**
 * The real OpenTelemetry SDK, in memory: a tracer provider exporting to an in-memory span
 * exporter, a meter provider with a reader that collects on demand, and the instrumentation
 * registered on both with `registerInstrumentations`, as an application would.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { TokenwiseInstrumentation } from '../tokenwise-instrumentation.ts';

/** A reader that collects when asked: the SDK's `MetricReader` with nothing to flush. */
class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** Telemetry made in memory, and what it recorded. */
export interface Telemetry {
  readonly instrumentation: TokenwiseInstrumentation;
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** The data points of the metric named `name` (every attribute set), collected now. */
  points(name: string): Promise<DataPoint<number | Histogram>[]>;
  /** Unregisters the instrumentation and shuts the providers down. */
  close(): Promise<void>;
}

/**
 * Registers a new {@link TokenwiseInstrumentation} on in-memory providers.
 *
 * @example
 * const telemetry = startTelemetry();
 * await tokens.getToken();
 * expect(telemetry.spans()).toHaveLength(1);
 */
export function startTelemetry(): Telemetry {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new TokenwiseInstrumentation();
  const unregister = registerInstrumentations({
    instrumentations: [instrumentation],
    tracerProvider,
    meterProvider,
  });
  return {
    instrumentation,
    spans: () => exporter.getFinishedSpans(),
    async points(name) {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((candidate) => candidate.descriptor.name === name);
      return (metric?.dataPoints ?? []) as DataPoint<number | Histogram>[];
    },
    async close() {
      unregister();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
