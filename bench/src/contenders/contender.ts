import type { InProcessTransport } from '../in-process.ts';

/** The HTTP clients a contender is built on. */
export type ClientName = 'fetch' | 'axios' | 'got' | 'ky';

/**
 * What a contender is: tokenwise, a library users would pick instead (an anchor), the bare
 * client with a static `Authorization` header (the floor every other figure is compared with), or
 * the bare client with hooks that do nothing (a reference, in scenario 4 only: what the client
 * charges for the hooks an adapter needs).
 */
export type ContenderKind = 'tokenwise' | 'anchor' | 'floor' | 'reference';

/** Where a contender sends its requests. */
export interface Target {
  /** Origin of the API, e.g. `http://127.0.0.1:1234`. */
  readonly baseUrl: string;
  /** The token endpoint. */
  readonly tokenUrl: string;
  /** Answer inside the process instead of over loopback. */
  readonly transport?: InProcessTransport | undefined;
  /**
   * tokenwise only: count callers that waited on the token endpoint by racing `getToken` against
   * `setImmediate` (a cached token resolves within microtasks, before the next macrotask).
   */
  readonly countWaits?: boolean | undefined;
  /** tokenwise only: the managers' `onEvent` (scenario 12 times its cost). */
  readonly onEvent?: ((event: unknown) => void) | undefined;
}

/** One configured client instance, as an application would hold it. */
export interface Session {
  /**
   * Sends a GET to `path` (relative to the base URL, no leading slash) and reads the body.
   * Resolves to the HTTP status, or 0 when the client threw without a response.
   */
  send(path: string, headers?: Record<string, string>): Promise<number>;
  /** With `countWaits`: the callers that waited on the token endpoint so far. */
  readonly raceWaits?: (() => number) | undefined;
  /** Stops background work (timers, token managers). */
  close(): Promise<void>;
}

/**
 * A client plus its token layer, measured side by side with the others.
 *
 * @example
 * ```ts
 * const session = contender.connect({ baseUrl: server.url, tokenUrl: server.tokenUrl });
 * const status = await session.send('api/items');
 * await session.close();
 * ```
 */
export interface Contender {
  /** The name in the tables. */
  readonly name: string;
  readonly client: ClientName;
  readonly kind: ContenderKind;
  /** Creates a client instance wired to `target`, as its documentation shows. */
  connect(target: Target): Session;
}

/**
 * The status of an HTTP error a client threw (axios and got errors carry the response), or 0.
 *
 * @example
 * ```ts
 * const status = await api.get('api/items').then((res) => res.status, statusOf);
 * ```
 */
export function statusOf(error: unknown): number {
  const response = (error as { response?: { status?: unknown; statusCode?: unknown } } | null)
    ?.response;
  const status = response?.status ?? response?.statusCode;
  return typeof status === 'number' ? status : 0;
}
