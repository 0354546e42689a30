import { verifyDpopProof } from '@tokenwise/test-kit';
import { describe, expect, test } from 'vitest';
import { DpopKey } from './dpop-key.ts';
import { accessTokenHash, proofUri } from './dpop-proof.ts';
import { DpopSession } from './dpop-session.ts';
import { dpopRequestHeaders, isNonceChallenge } from './resource-requests.ts';

describe('dpopRequestHeaders', () => {
  test('Authorization: DPoP and a proof for the method and URL, with ath and the origin nonce', async () => {
    const session = new DpopSession(DpopKey.generated(), Date.now);
    const url = 'https://api.example.com/v1/items?page=2#top';
    session.remember('https://api.example.com/other', new Headers({ 'DPoP-Nonce': 'n-api' }));
    session.remember('https://auth.example.com/token', new Headers({ 'DPoP-Nonce': 'n-auth' }));
    const headers = await dpopRequestHeaders(
      session,
      { accessToken: 'at-42' },
      { url, method: 'delete' },
    );
    expect(headers.Authorization).toBe('DPoP at-42');
    const { claims, jkt } = verifyDpopProof(headers.DPoP, {
      method: 'DELETE',
      url,
      accessToken: 'at-42',
      nonce: 'n-api',
      seenJtis: new Set(),
    });
    expect(claims).toMatchObject({ htm: 'DELETE', htu: 'https://api.example.com/v1/items' });
    expect(jkt).toBe(await session.thumbprint());
  });

  test("ath matches RFC 9449's example, and htu drops query and fragment only", async () => {
    expect(await accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
    expect(proofUri('https://API.example.com:443/a/b?c=d#e')).toBe('https://api.example.com/a/b');
  });
});

describe('isNonceChallenge', () => {
  test.each([
    [401, 'DPoP error="use_dpop_nonce"', true],
    [401, 'Bearer realm="api", DPoP error="use_dpop_nonce", algs="ES256"', true],
    [401, 'DPoP algs="ES256", error=use_dpop_nonce', true],
    [401, 'DPoP error="invalid_token"', false],
    [401, 'DPoP error="use_dpop_nonce_later"', false],
    [401, 'Bearer error="use_dpop_nonce"', false], // another scheme's challenge
    [401, 'DPoP error="invalid_token", error_description="not use_dpop_nonce"', false],
    [400, 'DPoP error="use_dpop_nonce"', false],
    [401, null, false],
  ])('%i with WWW-Authenticate %s: %s', (status, challenge, expected) => {
    const headers = new Headers(challenge === null ? {} : { 'WWW-Authenticate': challenge });
    expect(isNonceChallenge({ status, headers })).toBe(expected);
  });
});

describe('DpopNonces via the session', () => {
  test('keeps one nonce per origin, the latest, and ignores values a header cannot carry', () => {
    const session = new DpopSession(DpopKey.generated(), Date.now);
    session.remember('https://a.example/x', new Headers({ 'DPoP-Nonce': 'one' }));
    session.remember('https://a.example/y', new Headers({ 'DPoP-Nonce': 'two' }));
    session.remember('https://a.example/z', new Headers({ 'DPoP-Nonce': 'bad"quote' }));
    session.remember('https://b.example/', new Headers());
    expect(session.nonceFor('https://a.example/anything')).toBe('two');
    expect(session.nonceFor('https://b.example/')).toBeUndefined();
  });
});
