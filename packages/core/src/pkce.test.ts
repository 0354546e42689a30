import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createPkcePair, pkceChallenge } from './pkce.ts';

describe('pkceChallenge', () => {
  test('RFC 7636 Appendix B', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test.each([
    { name: 'the shortest verifier (43)', verifier: 'a'.repeat(43) },
    { name: 'the longest verifier (128)', verifier: 'Z'.repeat(128) },
    { name: 'every unreserved character', verifier: 'AZaz09-._~'.repeat(5) },
  ])(
    'accepts $name and hashes it with SHA-256, base64url without padding',
    async ({ verifier }) => {
      const expected = createHash('sha256').update(verifier).digest('base64url');
      const challenge = await pkceChallenge(verifier);
      expect(challenge).toBe(expected);
      expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    },
  );

  test.each([
    { name: '42 characters', verifier: 'a'.repeat(42) },
    { name: '129 characters', verifier: 'a'.repeat(129) },
    { name: 'a space', verifier: `${'a'.repeat(42)} ` },
    { name: 'a plus sign', verifier: `${'a'.repeat(42)}+` },
    { name: 'a slash', verifier: `${'a'.repeat(42)}/` },
    { name: 'padding', verifier: `${'a'.repeat(42)}=` },
    { name: 'non-ASCII', verifier: `${'a'.repeat(42)}é` },
  ])('rejects a verifier with $name', async ({ verifier }) => {
    await expect(pkceChallenge(verifier)).rejects.toThrow(
      new TypeError('pkceChallenge: codeVerifier must be 43-128 characters of [A-Za-z0-9-._~]'),
    );
  });
});

describe('createPkcePair', () => {
  test('random pairs verify: the challenge is the S256 of the verifier', async () => {
    const pairs = await Promise.all(Array.from({ length: 32 }, () => createPkcePair()));
    for (const pair of pairs) {
      expect(pair.codeChallengeMethod).toBe('S256');
      expect(pair.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pair.codeChallenge).toBe(
        createHash('sha256').update(pair.codeVerifier).digest('base64url'),
      );
      expect(await pkceChallenge(pair.codeVerifier)).toBe(pair.codeChallenge);
    }
    expect(new Set(pairs.map((pair) => pair.codeVerifier)).size).toBe(pairs.length);
  });

  test('the verifier carries 32 random bytes', async () => {
    const { codeVerifier } = await createPkcePair();
    expect(Buffer.from(codeVerifier, 'base64url')).toHaveLength(32);
  });
});
