import { verifyDpopProof } from '@tokenwise/test-kit';
import { describe, expect, test } from 'vitest';
import { TokenEndpointError } from '../errors.ts';
import { refreshToken } from '../flows/refresh-token.ts';
import {
  claimsOf,
  dpopToken,
  endpoint,
  manager,
  managers,
  tokenUrl,
  useNonce,
} from '../test-support/dpop-token-endpoint.ts';
import { createTokenManager } from '../token-manager.ts';

describe('token requests with dpop: true', () => {
  test('carry a proof RFC 9449 §4.3 accepts (typ, ES256, public jwk, htm, htu without query, iat, jti); the token is DPoP', async () => {
    const { seen, fetch } = endpoint(dpopToken());
    const tokens = manager({ fetch });
    const token = await tokens.getToken();
    expect(token.tokenType).toBe('DPoP');
    const { header, claims, jkt } = claimsOf(seen[0]?.proof ?? null);
    expect(header).toMatchObject({
      typ: 'dpop+jwt',
      alg: 'ES256',
      jwk: { kty: 'EC', crv: 'P-256' },
    });
    expect(header.jwk).not.toHaveProperty('d');
    expect(claims).toMatchObject({ htm: 'POST', htu: 'https://auth.example.com/token' });
    expect(claims).not.toHaveProperty('nonce');
    expect(claims).not.toHaveProperty('ath');
    expect(await tokens.cacheKey()).toMatch(new RegExp(`:dpop:${jkt}$`));
  });

  test('every attempt of the retry policy signs a new proof (new jti), with the same key', async () => {
    const { seen, fetch } = endpoint(
      () => new Response('busy', { status: 503 }),
      () => new Response('busy', { status: 503 }),
      dpopToken(),
    );
    const tokens = manager({ fetch, retry: { limit: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    await tokens.getToken();
    const seenJtis = new Set<string>();
    const proofs = seen.map((entry) =>
      verifyDpopProof(entry.proof, { method: 'POST', url: tokenUrl, seenJtis }),
    );
    expect(proofs).toHaveLength(3);
    expect(new Set(proofs.map((proof) => proof.jkt)).size).toBe(1);
  });

  test('a 400 use_dpop_nonce is sent once more with the nonce, outside the retry policy (retry: false)', async () => {
    const { seen, fetch } = endpoint(useNonce('n-1'), dpopToken());
    const tokens = manager({ fetch, retry: false });
    expect((await tokens.getToken()).accessToken).toBe('at-1');
    expect(seen).toHaveLength(2);
    expect(claimsOf(seen[0]?.proof ?? null).claims).not.toHaveProperty('nonce');
    expect(claimsOf(seen[1]?.proof ?? null).claims.nonce).toBe('n-1');
    expect(seen[1]?.body).toBe(seen[0]?.body);
  });

  test('a second use_dpop_nonce for the re-sent request is the error, not another re-send', async () => {
    const { seen, fetch } = endpoint(useNonce('n-1'), useNonce('n-2'));
    const tokens = manager({ fetch });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({ status: 400, error: 'use_dpop_nonce' });
    expect(seen).toHaveLength(2);
  });

  test('a 400 of another error, or without a DPoP-Nonce, is not re-sent', async () => {
    for (const answer of [
      () =>
        Response.json({ error: 'invalid_client' }, { status: 400, headers: { 'DPoP-Nonce': 'n' } }),
      () => Response.json({ error: 'use_dpop_nonce' }, { status: 400 }),
    ]) {
      const { seen, fetch } = endpoint(answer);
      const error = await manager({ fetch })
        .getToken()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointError);
      expect(seen).toHaveLength(1);
    }
  });

  test('the nonce is remembered for the next token request, and updated from a success answer', async () => {
    const { seen, fetch } = endpoint(useNonce('n-1'), dpopToken({ 'DPoP-Nonce': 'n-2' }));
    const tokens = manager({ fetch });
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(seen.map((entry) => claimsOf(entry.proof).claims.nonce)).toEqual([
      undefined,
      'n-1',
      'n-2',
    ]);
  });

  test('a Bearer answer to a DPoP request is a Bearer token (RFC 9449 §5); MAC is refused', async () => {
    const bearer = endpoint(() => Response.json({ access_token: 'at-b', token_type: 'bearer' }));
    expect((await manager({ fetch: bearer.fetch }).getToken()).tokenType).toBe('Bearer');
    const mac = endpoint(() => Response.json({ access_token: 'at-m', token_type: 'MAC' }));
    const error = await manager({ fetch: mac.fetch })
      .getToken()
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('"MAC"');
  });

  test('without dpop, a DPoP token is a TokenResponseError that points at the option', async () => {
    const { fetch } = endpoint(dpopToken());
    const error = await manager({ fetch, dpop: undefined })
      .getToken()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/"DPoP".*`dpop` option/);
  });

  test('a refresh is sent with the same key as the first token request', async () => {
    const { seen, fetch } = endpoint(() =>
      Response.json({
        access_token: `at-${seen.length}`,
        token_type: 'DPoP',
        expires_in: 300,
        refresh_token: `rt-${seen.length}`,
      }),
    );
    const tokens = createTokenManager({
      flow: refreshToken({ tokenUrl, clientId: 'app', refreshToken: 'rt-0' }),
      dpop: true,
      fetch,
    });
    managers.push(tokens);
    await tokens.getToken();
    await tokens.getToken({ forceRefresh: true });
    expect(seen.map((entry) => entry.body)).toEqual([
      expect.stringContaining('refresh_token=rt-0'),
      expect.stringContaining('refresh_token=rt-1'),
    ]);
    const keys = seen.map((entry) => claimsOf(entry.proof).jkt);
    expect(keys[1]).toBe(keys[0]);
  });
});
