/**
 * The mock the token endpoint's tests run against (RFC 6749's example client among others), and
 * the headers every token answer carries.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { expect } from 'vitest';
import { issuer } from './http.ts';
import { type ServedMock, serveMock } from './serve-mock.ts';

/**
 * `Authorization` of RFC 6749's example client `s6BhdRkqt3` with secret `gX1fBat3bV`.
 *
 * @example
 * ```ts
 * await postToken('grant_type=client_credentials', { Authorization: rfcBasic });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export const rfcBasic = 'Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW'; // s6BhdRkqt3:gX1fBat3bV

/**
 * Serves, for the calling file, a mock with RFC 6749's example client, a confidential client
 * (`app`), one whose id and secret need the §2.3.1 form encoding (`my app:1`), a public one
 * (`spa`) and one limited to client credentials and the scopes `read write` (`reports`);
 * tokens live an hour, PKCE is not required.
 *
 * @example
 * ```ts
 * const { oauth, server } = serveTokenEndpointMock();
 * ```
 */
export function serveTokenEndpointMock(): ServedMock {
  return serveMock({
    issuer,
    clients: {
      s6BhdRkqt3: 'gX1fBat3bV', // RFC 6749's example client
      app: 'secret',
      'my app:1': 'p@ss wörd+/=%', // needs the §2.3.1 form encoding
      spa: null,
      reports: { secret: 'r', scope: ['read', 'write'], grantTypes: ['client_credentials'] },
    },
    accessTokenTtl: 3600,
    requirePkce: false,
  });
}

/**
 * RFC 6749 §5.1 and §5.2: no caching, and a Date header (mock clock).
 *
 * @example
 * ```ts
 * expectTokenHeaders(await postToken('grant_type=client_credentials', { Authorization: rfcBasic }));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function expectTokenHeaders(response: Response): void {
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Date.parse(response.headers.get('date')!)).toBeGreaterThan(0);
}
