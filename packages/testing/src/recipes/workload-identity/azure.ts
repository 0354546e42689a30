import { readFile } from 'node:fs/promises';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';

/**
 * Azure workload identity federation (AKS, or any platform whose tokens Entra ID trusts): the
 * webhook sets AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and
 * AZURE_AUTHORITY_HOST in the pod.
 */
export function azureWorkloadTokens(
  scope: string, // e.g. 'https://graph.microsoft.com/.default'
  env: Readonly<Record<string, string | undefined>> = process.env,
): TokenManager {
  const authority = env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com/';
  const tokenFile = env.AZURE_FEDERATED_TOKEN_FILE ?? '';
  return createTokenManager({
    flow: clientCredentials({
      tokenUrl: new URL(`${env.AZURE_TENANT_ID}/oauth2/v2.0/token`, authority),
      clientId: env.AZURE_CLIENT_ID ?? '',
      scope,
      // The federated token, read again for every token request (it is rotated on disk).
      clientAssertion: () => readFile(tokenFile, 'utf8'),
    }),
  });
}
