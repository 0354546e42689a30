/**
 * `@tokenwise/core/adapter`: what an adapter for an HTTP client needs beyond the main entry.
 *
 * @packageDocumentation
 */

export { redactedHeaderValue, redactSentHeaders } from './sent-headers.ts';
