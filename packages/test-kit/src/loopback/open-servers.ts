/**
 * The loopback servers still open, so that one `afterEach(closeAllServers)` closes whatever a
 * test started and forgot.
 *
 * @module
 */

/** Something {@link closeAllServers} can close. */
interface Closable {
  close(): Promise<void>;
}

const open = new Set<Closable>();

/**
 * Counts `server` as open until {@link forgetServer}.
 *
 * @example
 * ```ts
 * const server = new LoopbackServer(http, options);
 * rememberServer(server);
 * ```
 */
export function rememberServer(server: Closable): void {
  open.add(server);
}

/**
 * Stops counting `server` as open (it is closing).
 *
 * @example
 * ```ts
 * async close() { forgetServer(this); … }
 * ```
 */
export function forgetServer(server: Closable): void {
  open.delete(server);
}

/**
 * Closes every loopback server `startServer` started that is still open, for an `afterEach`.
 *
 * @example
 * afterEach(closeAllServers);
 */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...open].map((server) => server.close()));
}
