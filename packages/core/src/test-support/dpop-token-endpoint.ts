/**
 * A scripted token endpoint for the DPoP tests of the token side, and managers made on it
 * (closed after each test).
 *
 * @module
 */
import { verifyDpopProof } from '@tokenwise/test-kit';
import { afterEach, vi } from 'vitest';
import { clientCredentials } from '../flows/client-credentials.ts';
import { createTokenManager, type TokenManager } from '../token-manager.ts';

export const tokenUrl = 'https://auth.example.com/token?tenant=eu';
export const flow = () =>
  clientCredentials({ tokenUrl, clientId: 'app', clientSecret: 'secret-7f3a' });

/** Every manager made here or handed to `managers.push`: closed after each test. */
export const managers: TokenManager[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

export interface Seen {
  readonly proof: string | null;
  readonly url: string;
  readonly body: string;
}

/** A token endpoint answering each request with the next of `answers` (the last repeats). */
export function endpoint(...answers: ((seen: Seen) => Response)[]) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const entry = {
      proof: request.headers.get('dpop'),
      url: request.url,
      body: await request.text(),
    };
    seen.push(entry);
    const answer = answers[Math.min(seen.length, answers.length) - 1] as (seen: Seen) => Response;
    return answer(entry);
  };
  return { seen, fetch };
}

export const dpopToken =
  (headers: HeadersInit = {}) =>
  () =>
    Response.json({ access_token: 'at-1', token_type: 'DPoP', expires_in: 300 }, { headers });
export const useNonce = (nonce: string) => () =>
  Response.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': nonce } });

export function manager(
  options: Partial<Parameters<typeof createTokenManager>[0]> & { fetch: typeof fetch },
) {
  const tokens = createTokenManager({ flow: flow(), dpop: true, retry: false, ...options });
  managers.push(tokens);
  return tokens;
}

export function claimsOf(proof: string | null) {
  return verifyDpopProof(proof, {
    method: 'POST',
    url: tokenUrl,
    seenJtis: new Set(),
  });
}
