/**
 * A token manager configured like the mutual TLS recipe's, except that its connections present
 * no client certificate: what a deployment that forgot to mount the certificate runs.
 *
 * @module
 */
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import { tlsFetch } from './tls-fetch.ts';

/**
 * A client credentials manager for `clientId` at `tokenUrl` (`clientAuth: 'none'`) whose fetch
 * trusts `ca` and presents nothing; `close()` closes the manager and its connections.
 *
 * @example
 * ```ts
 * const { tokens } = defer(withoutCertificate({ tokenUrl, clientId: 'cc-mtls', ca: pki.ca }));
 * await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenRequestError);
 * ```
 */
export function withoutCertificate(options: {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly ca: string;
}): { readonly tokens: TokenManager; close(): Promise<void> } {
  const tls = tlsFetch({ ca: options.ca });
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientAuth: 'none',
    }),
    fetch: tls.fetch,
  });
  return {
    tokens,
    close: async () => {
      await tokens.close();
      await tls.close();
    },
  };
}
