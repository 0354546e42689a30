/** A loopback address where nothing listens: connecting to it is refused. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The origin of a loopback port nothing listens on: connecting to it is refused.
 *
 * @example
 * const closed = await closedPortOrigin();
 * await expect(fetch(`${closed}/members`)).rejects.toThrow('fetch failed');
 */
export async function closedPortOrigin(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A URL on a loopback port nothing listens on. @default path '/token'
 *
 * @example
 * const tokenUrl = await closedPortUrl();
 * const tokens = createTokenManager({ flow: clientCredentials({ tokenUrl, clientId, clientSecret }) });
 * await expect(tokens.getToken()).rejects.toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
 */
export async function closedPortUrl(path = '/token'): Promise<string> {
  return `${await closedPortOrigin()}${path}`;
}
