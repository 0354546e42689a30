/**
 * The behaviour every adapter shares, specified once: attaching the token, the origins that get
 * it, redirects, the one re-send after a 401 and its bounds, a manager per request (tenants) and
 * which answers re-authorize, request bodies on the re-send,
 * aborting, token endpoint failures, and, against broken and hostile peers, header hygiene and
 * what a caller's error shows; DPoP proofs and nonces, and DPoP across redirects. Each adapter runs it with a small {@link AdapterDriver}, against two
 * real loopback servers (the API and token endpoint on 127.0.0.1, another origin on localhost).
 * The groups live in `contract/`, one file each.
 */
import { describe } from 'vitest';
import { describeAbort } from './contract/abort.ts';
import { describeAttaching } from './contract/attaching.ts';
import { describeBodies } from './contract/bodies.ts';
import { createContract } from './contract/contract.ts';
import { describeDpop } from './contract/dpop.ts';
import { describeDpopRedirects } from './contract/dpop-redirects.ts';
import { describeEvents } from './contract/events.ts';
import { describeHeaderHygiene } from './contract/header-hygiene.ts';
import { type CoreFactories, type ManagerLike, useLoopback } from './contract/loopback.ts';
import { describeOrigins } from './contract/origins.ts';
import { describeReauthorization } from './contract/reauthorization.ts';
import { describeRedirects } from './contract/redirects.ts';
import { describeRegistration } from './contract/registration.ts';
import type { SentBody } from './contract/sent-body.ts';
import { describeTenants } from './contract/tenants.ts';
import { describeTokenErrors } from './contract/token-errors.ts';
import { describeWhatErrorsShow } from './contract/what-errors-show.ts';

export type { CoreFactories, Loopback, ManagerLike } from './contract/loopback.ts';
export { useLoopback } from './contract/loopback.ts';

/**
 * The core the adapter runs on (`@tokenwise/core` for an adapter, core's own source for core's
 * tests): the factories of {@link CoreFactories} and the guard of its token endpoint error.
 *
 * @example
 * const core: AdapterCore<TokenManager, Flow> = {
 *   createTokenManager,
 *   clientCredentials,
 *   isTokenEndpointError: (error) => error instanceof TokenEndpointError,
 * };
 */
export interface AdapterCore<Manager extends ManagerLike, Flow>
  extends CoreFactories<Manager, Flow> {
  /** Whether a value is that core's `TokenEndpointError`, unwrapped. */
  isTokenEndpointError(value: unknown): boolean;
}

/** A record, or a function of the request URL returning one (possibly async). */
export type ExtraHeaders =
  | Record<string, string>
  | ((url: URL) => Record<string, string> | Promise<Record<string, string>>);

/** What the suite asks a driver's client for: the adapter's options and the client's base URL. */
export interface ClientOptions<Manager> {
  /** A manager, or a function of the request choosing one (a tenant's). */
  readonly tokens: Manager | ((request: TokensRequest) => Manager | Promise<Manager>);
  /** The client's base URL (the default allowed origin); absent: a client without one. */
  readonly baseUrl?: string | undefined;
  readonly headers?: ExtraHeaders;
  readonly origins?: readonly string[];
  readonly retryOn401?: boolean;
  /** Which answers mean "token rejected". */
  readonly reauthorizeOn?: (response: {
    readonly status: number;
    readonly headers: Headers;
    readonly url: string;
  }) => boolean;
}

/** What a `tokens` function is given. */
export interface TokensRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
}

/** One request the suite sends; `url` is absolute. */
export interface SentRequest {
  readonly method?: string;
  readonly url: string;
  /** The caller's own headers. */
  readonly headers?: Record<string, string>;
  readonly body?: SentBody;
  readonly signal?: AbortSignal;
  /** Send this request without the token, as the client spells it. */
  readonly skipAuth?: boolean;
}

/** A response as the suite reads it; header names in lower case. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * What a client cannot express, each with the reason: the suite skips the cases that need it,
 * visibly (the skipped test's name carries the reason).
 */
export interface MissingCapabilities {
  /** The client has no base URL, so no default allowed origin (fetch). */
  readonly baseUrl?: string;
}

/**
 * Reads a fetch `Response` into a {@link Reply} (for drivers of fetch-based clients).
 *
 * @example
 * send: async (fetch, request) => readResponse(await fetch(request.url, fetchInit(request))),
 */
export async function readResponse(response: Response): Promise<Reply> {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  };
}

/**
 * How the suite drives one HTTP client with one adapter registered on it.
 *
 * @example
 * const fetchDriver: AdapterDriver<AuthFetch, TokenManager, Flow> = {
 *   core: {
 *     createTokenManager,
 *     clientCredentials,
 *     isTokenEndpointError: (error) => error instanceof TokenEndpointError,
 *   },
 *   lacks: { baseUrl: 'createAuthFetch has no base URL' },
 *   client: ({ baseUrl: _, ...options }) => createAuthFetch(options),
 *   send: async (fetch, request) => readResponse(await fetch(request.url, fetchInit(request))),
 *   outcome: (fetch, request) =>
 *     fetch(request.url, fetchInit(request)).catch((error: unknown) => error),
 *   status: (outcome) => (outcome instanceof Response ? outcome.status : undefined),
 *   isNetworkError: (outcome) => outcome instanceof TypeError,
 *   isAbortError: (outcome, reason) => outcome === reason,
 * };
 */
export interface AdapterDriver<Client, Manager extends ManagerLike = ManagerLike, Flow = unknown> {
  readonly core: AdapterCore<Manager, Flow>;
  /** What the client cannot express; the suite skips those cases and says why. */
  readonly lacks?: MissingCapabilities;
  /** A new client with the adapter registered; throws what registering throws. */
  client(options: ClientOptions<Manager>): Client;
  /**
   * Sends a request and resolves with the reply whatever its status (the client's "throw on
   * HTTP errors" turned off); rejects with what the client rejects with otherwise.
   */
  send(client: Client, request: SentRequest): Promise<Reply>;
  /** Sends with the client's defaults: what the caller gets, the value or the error. */
  outcome(client: Client, request: SentRequest): Promise<unknown>;
  /** The HTTP status an outcome carries (a response's, or the client's HTTP error's), if any. */
  status(outcome: unknown): number | undefined;
  /** Whether an outcome is the client's error for a connection refused or dropped. */
  isNetworkError(outcome: unknown): boolean;
  /** Whether an outcome is the client's error for a request aborted with `reason`. */
  isAbortError(outcome: unknown, reason: unknown): boolean;
}

/**
 * Runs the shared contract suite for one adapter on one client (call it once per client flavour:
 * axios's http and fetch adapters, got 14 and got 16).
 *
 * @example
 * describeAdapter('ky 2', {
 *   core: {
 *     createTokenManager,
 *     clientCredentials,
 *     isTokenEndpointError: (error) => error instanceof TokenEndpointError,
 *   },
 *   client: ({ baseUrl, ...options }) => ky.create({ ...kyAuth(options), baseUrl }),
 *   send: async (api, request) =>
 *     readResponse(await api(request.url, { ...fetchInit(request), throwHttpErrors: false })),
 *   outcome: (api, request) => api(request.url, fetchInit(request)).catch((error: unknown) => error),
 *   status: (outcome) => (isHTTPError(outcome) ? outcome.response.status : undefined),
 *   isNetworkError: (outcome) => isNetworkError(outcome),
 *   isAbortError: (outcome, reason) => outcome === reason,
 * });
 */
export function describeAdapter<Client, Manager extends ManagerLike, Flow>(
  name: string,
  driver: AdapterDriver<Client, Manager, Flow>,
): void {
  describe(`${name}: the adapter contract`, () => {
    const contract = createContract(driver, useLoopback(driver.core));
    describeRegistration(contract);
    describeAttaching(contract);
    describeOrigins(contract);
    describeRedirects(contract);
    describeReauthorization(contract);
    describeTenants(contract);
    describeBodies(contract);
    describeAbort(contract);
    describeTokenErrors(contract);
    describeHeaderHygiene(contract);
    describeWhatErrorsShow(contract);
    describeDpop(contract);
    describeDpopRedirects(contract);
    describeEvents(contract);
  });
}
