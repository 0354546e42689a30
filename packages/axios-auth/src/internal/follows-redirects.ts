/**
 * Which requests axios-auth follows the redirects of itself (see `dpop-redirects.ts`, loaded
 * only for them).
 *
 * @module
 */
import type { RedirectStep } from '@tokenwise/core/adapter';
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';

/**
 * Whether this adapter follows the redirects of a request sent through `adapter` with `config`:
 * a DPoP request (it has an `onHop`) through axios's own http adapter, with redirects on
 * (`maxRedirects` not 0) and axios's transport (not a custom `transport`).
 *
 * @example
 * ```ts
 * if (followsRedirects(adapter, config, onHop)) return sendFollowing(adapter, config, { … });
 * ```
 */
export function followsRedirects(
  adapter: AxiosAdapter,
  config: InternalAxiosRequestConfig,
  onHop: RedirectStep | undefined,
): onHop is RedirectStep {
  return (
    onHop !== undefined &&
    config.maxRedirects !== 0 &&
    (config as { transport?: unknown }).transport === undefined &&
    adapter === axios.getAdapter('http', config)
  );
}
