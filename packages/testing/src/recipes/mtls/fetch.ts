import { type AuthFetch, createAuthFetch, type TokenManager } from '@tokenwise/core';
import { certificateFetch } from './certificate-fetch.ts';
import type { MtlsConfig } from './tokens.ts';

export function mtlsFetch(tokens: TokenManager, config: MtlsConfig): AuthFetch {
  return createAuthFetch({
    tokens,
    origins: [new URL(config.apiUrl).origin],
    // The API checks that the token is bound to the certificate of the connection.
    fetch: certificateFetch(config.certificate),
  });
}
