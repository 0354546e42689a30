/**
 * The chaos server's ground truth: per client, what it was asked and what it did, and for each
 * access token it issued, when that token expires (the moment it answered plus `expires_in`).
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */

/**
 * What the server saw and did for one client.
 *
 * @example
 * ```ts
 * expect(server.stats.get('chaos-ky')?.invalidGrants).toBe(0);
 * ```
 */
export interface ChaosClientStats {
  /** HTTP requests to the token endpoint (every attempt, whatever its fate). */
  tokenRequests: number;
  /** Access tokens issued (including those whose answer was lost). */
  issued: number;
  /** Distinct access tokens the API answered 401 to (revoked, spurious, expired, …). */
  readonly refused: Set<string>;
  /** Refresh-token grants rejected with invalid_grant. */
  invalidGrants: number;
}

/**
 * An access token as the server issued it.
 *
 * @example
 * ```ts
 * const sentExpired = Date.now() >= (server.issued(token)?.expiresAt ?? 0);
 * ```
 */
export interface IssuedToken {
  readonly clientId: string;
  /** Epoch ms (real clock): when the answer was written plus `expires_in`. */
  readonly expiresAt: number;
}

/**
 * The records of one chaos server.
 *
 * @example
 * ```ts
 * const ledger = new ChaosLedger(['chaos-fetch']);
 * ledger.issue({ clientId: 'chaos-fetch', expiresAt: Date.now() + 2_000 }, 'tok-1');
 * ```
 */
export class ChaosLedger {
  /** Per client id. */
  readonly stats: ReadonlyMap<string, ChaosClientStats>;
  /** API requests per answer: `200`, `401 revoked now`, `401 spurious`, `401 expired`, … */
  readonly apiAnswers: Record<string, number> = {};
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #refreshTokens: string[] = [];

  constructor(clientIds: readonly string[]) {
    this.stats = new Map(
      clientIds.map((id) => [
        id,
        { tokenRequests: 0, issued: 0, refused: new Set(), invalidGrants: 0 },
      ]),
    );
  }

  /** The token as issued, or undefined when the server never issued it. */
  token(accessToken: string): IssuedToken | undefined {
    return this.#tokens.get(accessToken);
  }

  /** Every access and refresh token issued so far. */
  tokens(): string[] {
    return [...this.#tokens.keys(), ...this.#refreshTokens];
  }

  /** A token request of `clientId` arrived (an unknown client is not counted). */
  tokenRequest(clientId: string | undefined): void {
    const stats = this.stats.get(clientId ?? '');
    if (stats) stats.tokenRequests++;
  }

  /** `accessToken` (and `refreshToken`, if any) was issued. */
  issue(token: IssuedToken, accessToken: string, refreshToken?: string): void {
    this.#tokens.set(accessToken, token);
    if (refreshToken !== undefined) this.#refreshTokens.push(refreshToken);
    const stats = this.stats.get(token.clientId);
    if (stats) stats.issued++;
  }

  /** A refresh grant of `clientId` was rejected with invalid_grant. */
  invalidGrant(clientId: string | undefined): void {
    const stats = this.stats.get(clientId ?? '');
    if (stats) stats.invalidGrants++;
  }

  /** The API answered `answer`; a 401 to a token the server issued counts as refused. */
  apiAnswer(answer: string, refusedToken?: string): void {
    this.apiAnswers[answer] = (this.apiAnswers[answer] ?? 0) + 1;
    const issued = refusedToken === undefined ? undefined : this.#tokens.get(refusedToken);
    if (issued && refusedToken !== undefined)
      this.stats.get(issued.clientId)?.refused.add(refusedToken);
  }
}
