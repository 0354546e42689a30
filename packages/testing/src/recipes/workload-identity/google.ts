import { readFile } from 'node:fs/promises';
import { createTokenManager, type TokenManager, tokenExchange } from '@tokenwise/core';

/** Google workload identity federation: your platform's token, exchanged at Google's STS. */
export interface GoogleWorkloadConfig {
  /** `//iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<provider>` */
  readonly audience: string;
  /** A file with the token Google's pool trusts (a projected Kubernetes token, a CI OIDC token). */
  readonly subjectTokenFile: string;
  /** @default 'https://sts.googleapis.com/v1/token' */
  readonly stsUrl?: string;
}

export function googleWorkloadTokens(config: GoogleWorkloadConfig): TokenManager {
  return createTokenManager({
    flow: tokenExchange({
      tokenUrl: config.stsUrl ?? 'https://sts.googleapis.com/v1/token',
      subjectToken: () => readFile(config.subjectTokenFile, 'utf8'),
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      audience: config.audience,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    }),
  });
}
