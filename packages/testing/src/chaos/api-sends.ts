/**
 * What the API requests of one chaos client left with, checked at the transport against the
 * chaos server's own record of the tokens it issued and when each expires.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */
import type { ChaosServer } from './chaos-server.ts';

/**
 * What one adapter's API requests left with, judged against the server's own record.
 *
 * @example
 * ```ts
 * expect(adapter.sends).toMatchObject({ expired: 0, missing: 0, unknown: 0 });
 * ```
 */
export interface ApiSends {
  total: number;
  /** Sent with a token past the expiry the server gave it. */
  expired: number;
  /** Sent without a bearer token. */
  missing: number;
  /** Sent with a token the server never issued. */
  unknown: number;
  /** Distinct access tokens sent: each came from one successful exchange. */
  readonly tokens: Set<string>;
}

/**
 * A tally with nothing sent yet.
 *
 * @example
 * ```ts
 * const sends = emptySends();
 * ```
 */
export function emptySends(): ApiSends {
  return { total: 0, expired: 0, missing: 0, unknown: 0, tokens: new Set() };
}

/**
 * fetch, checking the `Authorization` each request leaves with into `sends`.
 *
 * @example
 * ```ts
 * const api = ky.create({ ...kyAuth({ tokens }), fetch: checkedFetch(server, sends) });
 * ```
 */
export function checkedFetch(server: ChaosServer, sends: ApiSends): typeof fetch {
  return (input, init) => {
    const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
    checkSend(server, sends, headers.get('authorization'));
    return fetch(input, init);
  };
}

/**
 * Counts one API request into `sends`, judging its `Authorization` against the server's ledger:
 * missing, never issued, or sent at or after the expiry the server gave it.
 *
 * @example
 * ```ts
 * checkSend(server, sends, config.headers.get('Authorization'));
 * ```
 */
export function checkSend(server: ChaosServer, sends: ApiSends, authorization: unknown): void {
  sends.total++;
  const token = typeof authorization === 'string' ? authorization.match(/^Bearer (.+)$/) : null;
  if (!token?.[1]) {
    sends.missing++;
    return;
  }
  sends.tokens.add(token[1]);
  const issued = server.issued(token[1]);
  if (issued === undefined) sends.unknown++;
  else if (Date.now() >= issued.expiresAt) sends.expired++;
}
