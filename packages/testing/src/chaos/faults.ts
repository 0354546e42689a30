/**
 * The faults of the chaos server, and how each request draws one: from a schedule first (so that
 * a short run sees every fault), then at random by weight.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import type { SeededRandom } from './seeded-random.ts';

/**
 * What the chaos token endpoint does with one token request.
 *
 * - `ok`: the test kit's token server answers it (a token, or its RFC 6749 error).
 * - `503`: an HTML "Service Unavailable" page (retried by the manager).
 * - `429`: `{ "error": "slow_down" }` with `Retry-After` (retried after that wait).
 * - `slow`: answered as `ok` after a delay shorter than the client's timeout.
 * - `stall`: never answers; the client's per-attempt timeout ends it (retried).
 * - `reset`: destroys the connection before answering (a network error, retried).
 * - `lost-answer`: answered as `ok`, then the connection is destroyed half-way through the body:
 *   the server acted, the client never heard (a rotated refresh token must survive this).
 * - `malformed-json`: 200 with a truncated JSON body.
 * - `html`: 200 with an HTML login page.
 * - `error-200`: 200 with `{ "error": "server_error" }`.
 *
 * @example
 * ```ts
 * const fault: TokenFault = 'lost-answer';
 * ```
 */
export type TokenFault =
  | 'ok'
  | '503'
  | '429'
  | 'slow'
  | 'stall'
  | 'reset'
  | 'lost-answer'
  | 'malformed-json'
  | 'html'
  | 'error-200';

/**
 * What the chaos API does with one request.
 *
 * - `ok`: 200 when the bearer token is one the server issued, not revoked and not expired; else 401.
 * - `revoke`: revokes the presented token, then answers 401 (as after a password change).
 * - `spurious-401`: answers 401 and leaves the token valid (a flaky gateway).
 * - `503`: answers 503.
 *
 * @example
 * ```ts
 * const fault: ApiFault = 'spurious-401';
 * ```
 */
export type ApiFault = 'ok' | 'revoke' | 'spurious-401' | '503';

/**
 * Every token-endpoint fault, in a stable order (for schedules and reports).
 *
 * @example
 * ```ts
 * const schedule = tokenFaults.flatMap((fault) => (fault === 'ok' ? [] : [fault, 'ok']));
 * ```
 */
export const tokenFaults: readonly TokenFault[] = [
  'ok',
  '503',
  '429',
  'slow',
  'stall',
  'reset',
  'lost-answer',
  'malformed-json',
  'html',
  'error-200',
];

/**
 * Every API fault, in a stable order.
 *
 * @example
 * ```ts
 * for (const fault of apiFaults) console.log(fault);
 * ```
 */
export const apiFaults: readonly ApiFault[] = ['ok', 'revoke', 'spurious-401', '503'];

/**
 * The default token-endpoint mix: about one request in three goes wrong, one in ten in a way
 * that is not retried (a 2xx that is no token).
 *
 * @example
 * ```ts
 * startChaosServer({ random, clients, tokenFaultWeights: { ...defaultTokenFaultWeights, stall: 0 } });
 * ```
 */
export const defaultTokenFaultWeights: Readonly<Record<TokenFault, number>> = Object.freeze({
  ok: 64,
  '503': 7,
  '429': 4,
  slow: 7,
  stall: 3,
  reset: 4,
  'lost-answer': 3,
  'malformed-json': 3,
  html: 3,
  'error-200': 2,
});

/**
 * The default API mix: one request in twenty goes wrong.
 *
 * @example
 * ```ts
 * startChaosServer({ random, clients, apiFaultWeights: { ...defaultApiFaultWeights, revoke: 10 } });
 * ```
 */
export const defaultApiFaultWeights: Readonly<Record<ApiFault, number>> = Object.freeze({
  ok: 95,
  revoke: 2,
  'spurious-401': 1,
  '503': 2,
});

/**
 * The random decisions the chaos server draws (a {@link SeededRandom} fits).
 *
 * @example
 * ```ts
 * const random: ChaosRandom = seededRandom(7).fork('server');
 * ```
 */
export type ChaosRandom = Pick<SeededRandom, 'int' | 'pick' | 'weighted'>;

/**
 * The faults of one endpoint: queued ones first, in order, then random ones by weight; each
 * drawn one is counted.
 *
 * @example
 * ```ts
 * const faults = new FaultDraw(random, defaultApiFaultWeights, ['revoke', 'ok']);
 * faults.next(); // 'revoke', then 'ok', then at random
 * ```
 */
export class FaultDraw<F extends string> {
  /** Requests per fault drawn. */
  readonly counts: Record<F, number>;
  readonly #random: ChaosRandom;
  readonly #weights: Readonly<Record<F, number>>;
  readonly #queue: F[];

  constructor(random: ChaosRandom, weights: Readonly<Record<F, number>>, schedule: readonly F[]) {
    this.#random = random;
    this.#weights = weights;
    this.#queue = [...schedule];
    this.counts = Object.fromEntries(Object.keys(weights).map((fault) => [fault, 0])) as Record<
      F,
      number
    >;
  }

  /** Queues faults for the next requests, after those already queued. */
  queue(...faults: F[]): void {
    this.#queue.push(...faults);
  }

  /** The fault of the next request. */
  next(): F {
    const fault = this.#queue.shift() ?? this.#random.weighted(this.#weights);
    this.counts[fault]++;
    return fault;
  }
}
