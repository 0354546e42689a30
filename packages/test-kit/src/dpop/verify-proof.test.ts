import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { thumbprintOf, verifyDpopProof } from './verify-proof.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = publicKey.export({ format: 'jwk' });
const url = 'https://api.example.com/v1/me';
const accessToken = 'at-9c1e';

/** A proof signed with node:crypto, its header and claims overridden by `changes`. */
function proof(changes: { header?: object; claims?: object } = {}): string {
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk, ...changes.header };
  const claims = {
    jti: randomUUID(),
    htm: 'GET',
    htu: url,
    iat: Math.floor(Date.now() / 1000),
    ath: createHash('sha256').update(accessToken).digest('base64url'),
    ...changes.claims,
  };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

const expected = () => ({
  method: 'get',
  url: `${url}?page=2#top`,
  accessToken,
  jkt: thumbprintOf(jwk),
  seenJtis: new Set<string>(),
});

describe('verifyDpopProof', () => {
  test('accepts a proof for the request, its key bound to the token, and records its jti', () => {
    const seen = expected();
    expect(verifyDpopProof(proof(), seen).jkt).toBe(thumbprintOf(jwk));
    expect(seen.seenJtis.size).toBe(1);
  });

  test.each([
    ['a replayed jti', () => proof({ claims: { jti: 'same-jti-1' } }), /replay/, ['same-jti-1']],
    ['another method', () => proof({ claims: { htm: 'POST' } }), /htm/, []],
    ['another URL', () => proof({ claims: { htu: 'https://api.example.com/v2/me' } }), /htu/, []],
    [
      'an old iat',
      () => proof({ claims: { iat: Math.floor(Date.now() / 1000) - 600 } }),
      /iat/,
      [],
    ],
    ['another access token', () => proof({ claims: { ath: 'x' } }), /ath/, []],
    ['another typ', () => proof({ header: { typ: 'JWT' } }), /typ/, []],
    ['a symmetric alg', () => proof({ header: { alg: 'HS256' } }), /alg/, []],
    ['a private jwk', () => proof({ header: { jwk: { ...jwk, d: 'AA' } } }), /private/, []],
    ['a tampered signature', () => `${proof().slice(0, -4)}AAAA`, /signature/, []],
    ['two proofs', () => `${proof()},${proof()}`, /exactly one/, []],
  ])('refuses %s', (_, make, reason, seenJtis) => {
    const seen = { ...expected(), seenJtis: new Set<string>(seenJtis) };
    expect(() => verifyDpopProof(make(), seen)).toThrow(reason);
  });

  test("refuses a key other than the token's cnf.jkt, and a missing nonce (flagged as such)", () => {
    expect(() => verifyDpopProof(proof(), { ...expected(), jkt: 'other' })).toThrow(/cnf\.jkt/);
    let refusal: unknown;
    try {
      verifyDpopProof(proof(), { ...expected(), nonce: 'n-1' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ nonce: true });
    expect(
      verifyDpopProof(proof({ claims: { nonce: 'n-1' } }), { ...expected(), nonce: 'n-1' }).claims
        .nonce,
    ).toBe('n-1');
  });
});
