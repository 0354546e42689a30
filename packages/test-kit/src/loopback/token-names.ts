/**
 * The names of what the loopback server's mock issues: `tok-1`, `tok-2`, … for access tokens,
 * `refresh-1`, … for refresh tokens, `code-1`, … for codes, unless a caller reserved a name for
 * its next issue (seeding a refresh token a test chose). Issuing calls run one at a time, so a
 * reserved name goes to the call that reserved it.
 */
import type { OpaqueTokenKind } from '@tokenwise/msw';

/**
 * Names for the `opaqueToken` option of the kit's mock, and the queue of calls that issue.
 *
 * @example
 * const names = new TokenNames({ access_token: 'tok-', refresh_token: 'refresh-', code: 'code-' });
 * names.next('access_token'); // 'tok-1'
 */
export class TokenNames {
  readonly #prefixes: Readonly<Record<OpaqueTokenKind, string>>;
  readonly #counts: Record<OpaqueTokenKind, number> = {
    access_token: 0,
    refresh_token: 0,
    code: 0,
  };
  #reserved: Partial<Record<OpaqueTokenKind, string[]>> = {};
  #queue: Promise<unknown> = Promise.resolve();

  constructor(prefixes: Readonly<Record<OpaqueTokenKind, string>>) {
    this.#prefixes = prefixes;
  }

  /**
   * The next name of `kind`: a reserved one, else the prefix and the next number of that kind.
   * Pass it as the mock's `opaqueToken`.
   *
   * @example
   * mockOAuthServer({ issuer, clients, opaqueToken: names.next });
   */
  readonly next = (kind: OpaqueTokenKind): string =>
    this.#reserved[kind]?.shift() ?? `${this.#prefixes[kind]}${++this.#counts[kind]}`;

  /**
   * Runs `issue` after every call queued before it, with `reserved` names handed out first (and
   * forgotten when it ends, used or not). Resolves or rejects as `issue` does.
   *
   * @example
   * await names.run({ refresh_token: ['refresh-start'] }, () => exchangeCode(code));
   */
  run<T>(
    reserved: Partial<Record<OpaqueTokenKind, readonly string[]>>,
    issue: () => Promise<T>,
  ): Promise<T> {
    const turn = this.#queue.then(async () => {
      this.#reserved = Object.fromEntries(
        Object.entries(reserved).map(([kind, list]) => [kind, [...list]]),
      );
      try {
        return await issue();
      } finally {
        this.#reserved = {};
      }
    });
    this.#queue = turn.catch(() => undefined);
    return turn;
  }
}
