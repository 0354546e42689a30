/**
 * @tokenwise/opentelemetry: OpenTelemetry spans and metrics for tokenwise, from its diagnostics
 * channels.
 *
 * @packageDocumentation
 */

export {
  TokenwiseInstrumentation,
  type TokenwiseInstrumentationConfig,
} from './tokenwise-instrumentation.ts';
