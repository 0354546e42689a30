import { readFile } from 'node:fs/promises';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';

/** A pod authenticating with its projected service-account token instead of a client secret. */
export interface KubernetesWorkloadConfig {
  /** Your identity provider's token endpoint. */
  readonly tokenUrl: string;
  /** The client registered for this workload (federated with the cluster's issuer). */
  readonly clientId: string;
  readonly scope?: string;
  /** Where the `serviceAccountToken` projected volume puts the token; the kubelet rotates it. */
  readonly tokenFile?: string;
}

export function kubernetesTokens(config: KubernetesWorkloadConfig): TokenManager {
  const tokenFile = config.tokenFile ?? '/var/run/secrets/tokens/token';
  return createTokenManager({
    flow: clientCredentials({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      scope: config.scope,
      // Read for every token request: the file holds the newest token the kubelet wrote.
      clientAssertion: () => readFile(tokenFile, 'utf8'),
    }),
  });
}
