import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';

/** A GitHub Actions job authenticating with its OIDC token (`permissions: id-token: write`). */
export interface GitHubActionsConfig {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** The `aud` your identity provider expects in the job's token. */
  readonly audience: string;
  readonly scope?: string;
  /** Where the runner's variables come from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Asks the runner for a fresh OIDC token (it lives a few minutes): once per token request. */
async function jobIdToken(audience: string, env: GitHubActionsConfig['env'] = process.env) {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '');
  url.searchParams.set('audience', audience);
  const response = await fetch(url, {
    headers: { Authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
  });
  if (!response.ok) throw new Error(`GitHub OIDC token request failed: ${response.status}`);
  const { value } = (await response.json()) as { value: string };
  return value;
}

export function gitHubActionsTokens(config: GitHubActionsConfig): TokenManager {
  return createTokenManager({
    flow: clientCredentials({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      scope: config.scope,
      clientAssertion: () => jobIdToken(config.audience, config.env),
    }),
  });
}
