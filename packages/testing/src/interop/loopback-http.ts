/**
 * Listening on a loopback port and closing again, for the interop servers: each `node:http`
 * server gets its own port on 127.0.0.1, and closing it ends every open connection.
 *
 * @module
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts `server` on 127.0.0.1, port 0; resolves to its origin.
 *
 * @example
 * ```ts
 * const origin = await listenOnLoopback(createServer(handler)); // 'http://127.0.0.1:41234'
 * ```
 */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Stops `server` and ends its open connections; resolves once the port is free.
 *
 * @example
 * ```ts
 * await closeLoopback(server);
 * ```
 */
export function closeLoopback(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
