import {
  clientCredentials,
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '@tokenwise/core';
import { type ClientCertificate, certificateFetch } from './certificate-fetch.ts';

/** What the authorization server registered for your client (tls_client_auth). */
export interface MtlsConfig {
  /** The mTLS token endpoint (`mtls_endpoint_aliases.token_endpoint` in the metadata, if any). */
  readonly tokenUrl: string;
  readonly apiUrl: string;
  readonly clientId: string;
  readonly certificate: ClientCertificate;
}

/** One manager per client certificate: share it. Its tokens are bound to the certificate. */
export function mtlsTokens(
  config: MtlsConfig,
  options: Omit<TokenManagerOptions, 'flow' | 'fetch'> = {},
): TokenManager {
  return createTokenManager({
    ...options,
    // The certificate is the client's credential: no secret, client_id in the body.
    flow: clientCredentials({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientAuth: 'none',
    }),
    fetch: certificateFetch(config.certificate),
  });
}
