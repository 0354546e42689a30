/**
 * What every vendor simulator has in common: a real `node:http` server on 127.0.0.1 (port 0) with
 * the vendor's token endpoint and a small bearer-protected API, counters, a request log, its own
 * clock (injectable, and skewable), revocation, and a `close()` that leaves nothing running.
 *
 * @module
 */

/** The seed vendors, by the name the recipes use. */
export type VendorName = 'pa' | 'priava' | 'papaya' | 'personify' | 'partner';

/**
 * Options every simulator takes.
 *
 * @example
 * ```ts
 * const clock = { t: Date.UTC(2026, 0, 1) };
 * const sim = await startPersonifySimulator({ lifetimeSeconds: 2, now: () => clock.t });
 * ```
 */
export interface SimulatorOptions {
  /**
   * Lifetime of the tokens it issues, in seconds (fractions allowed). Changeable later through
   * {@link Simulator.lifetimeSeconds}.
   * @default the vendor's documented lifetime (PA 90 000, Priava 21 600, Papaya 86 400, Personify 3 600, partner 3 600)
   */
  readonly lifetimeSeconds?: number | undefined;
  /**
   * The clock the simulator runs on, in epoch ms; share it with the token manager's `now` to move
   * both through a token's lifetime without waiting.
   * @default Date.now
   */
  readonly now?: (() => number) | undefined;
  /**
   * How far the simulator's clock is ahead of `now` (negative: behind), in ms. It shows in the
   * `Date` header and in every time the simulator computes or checks (absolute expiries, JWT
   * claims, whether a presented token has expired), as on a real server whose clock is off.
   * @default 0
   */
  readonly clockSkewMs?: number | undefined;
  /**
   * Delay before each token answer, in ms (a slow vendor, for benchmarks and demos). Changeable
   * later through {@link Simulator.tokenLatencyMs}.
   * @default 0
   */
  readonly tokenLatencyMs?: number | undefined;
  /** The log keeps this many most recent requests. @default 10_000 */
  readonly maxLogEntries?: number | undefined;
}

/**
 * Live counters of a simulator (read them at any time; {@link Simulator.resetStats} zeroes them).
 *
 * @example
 * ```ts
 * expect(sim.stats).toMatchObject({ tokenRequests: 1, apiCalls: 20, apiRejected: 0 });
 * ```
 */
export interface SimulatorStats {
  /** Requests that reached the token endpoint, whatever the answer. */
  tokenRequests: number;
  /** Token requests answered with a token. */
  tokensIssued: number;
  /** Token requests refused (4xx). */
  tokenErrors: number;
  /** Requests that reached the protected API, whatever the answer. */
  apiCalls: number;
  /** API calls refused: 401 (no, unknown, expired or revoked token) or another 4xx (e.g. a missing `X-Tenant-Id`). */
  apiRejected: number;
}

/**
 * One request as the simulator judged it. Holds no secret and no token, so it can be printed.
 *
 * @example
 * ```ts
 * expect(sim.log.filter((r) => r.kind === 'token').map((r) => r.grantType)).toEqual(['authorization_code', 'refresh_token']);
 * ```
 */
export interface SimulatorRequest {
  readonly kind: 'token' | 'api' | 'other';
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly status: number;
  /** The `grant_type` of a token request, when it had one. */
  readonly grantType?: string | undefined;
  /** The names (never the values) of the body's fields, as sent. */
  readonly fields?: readonly string[] | undefined;
  /** The `error` the simulator answered with, when it refused. */
  readonly error?: string | undefined;
  /** The simulator's clock when it answered (skew included), in epoch ms. */
  readonly at: number;
}

/**
 * A running vendor simulator.
 *
 * @example
 * ```ts
 * await using sim = await startPaSimulator();
 * const res = await fetch(sim.tokenUrl, { method: 'POST', body: new URLSearchParams({ ... }) });
 * ```
 */
export interface Simulator {
  readonly vendor: VendorName;
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string;
  /** The token endpoint, at the vendor's documented path. */
  readonly tokenUrl: string;
  /** Base URL of the protected API (`${origin}/api`): any path below it answers 200 with a valid token. */
  readonly apiUrl: string;
  /** Live counters. */
  readonly stats: Readonly<SimulatorStats>;
  /** The most recent requests (up to `maxLogEntries`), in order of answer. */
  readonly log: readonly SimulatorRequest[];
  /** Lifetime of the tokens issued from now on, in seconds. */
  lifetimeSeconds: number;
  /** See {@link SimulatorOptions.clockSkewMs}. */
  clockSkewMs: number;
  /** See {@link SimulatorOptions.tokenLatencyMs}. */
  tokenLatencyMs: number;
  /** The simulator's clock (skew included), in epoch ms. */
  now(): number;
  /** Revokes an access token (or, where the vendor has them, a refresh token). Returns whether it was known. */
  revoke(token: string): boolean;
  /** Revokes every token issued so far (access and refresh); returns how many. */
  revokeAll(): number;
  /** Whether the API would accept `accessToken` now. */
  accepts(accessToken: string): boolean;
  /** Zeroes the counters and empties the log. */
  resetStats(): void;
  /** Closes the server and every connection. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
