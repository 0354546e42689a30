/**
 * Refresh-token rotation with a grace of one, laid over a server that rotates strictly (the test
 * kit's: a refresh token works once). The refresh token a client presented last stays usable
 * until the token it got in return is used, so an answer lost on the way does not strand the
 * client: presenting it again stands for presenting its successor, which the client never saw.
 * Servers with a "reuse interval" or "grace period" behave so; RFC 9700 §4.14.2 rotation alone
 * does not.
 *
 * Not part of the build (see tsconfig.build.json).
 *
 * @module
 */

/**
 * Which refresh token to send the strict server for the one a client presented.
 *
 * @example
 * ```ts
 * const grace = new RefreshGrace();
 * const sent = grace.standIn('rt-0'); // 'rt-0': nothing rotated yet
 * grace.rotated('rt-0', sent, 'rt-1'); // the answer carrying rt-1 is lost…
 * grace.standIn('rt-0'); // 'rt-1': presenting rt-0 again refreshes with rt-1
 * ```
 */
export class RefreshGrace {
  /** Per refresh token live at the server: the one presented to get it, still accepted for it. */
  readonly #presentedFor = new Map<string, string>();

  /** The refresh token to send for `presented`: the live successor it stands for, else itself. */
  standIn(presented: string): string {
    for (const [live, previous] of this.#presentedFor) if (previous === presented) return live;
    return presented;
  }

  /**
   * Presenting `presented` (sent to the server as `sent`) got `issued`: `sent` is used up, and
   * `presented` stays accepted until `issued` is used.
   */
  rotated(presented: string, sent: string, issued: string): void {
    this.#presentedFor.delete(sent);
    this.#presentedFor.set(issued, presented);
  }
}
