// A loopback TCP port nobody listens on, for servers that cannot be told to pick one themselves.
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * Asks the system for a free port on 127.0.0.1 and releases it again.
 *
 * @example
 * const port = await freePort(); // then: redis-server --port <port>
 */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}
