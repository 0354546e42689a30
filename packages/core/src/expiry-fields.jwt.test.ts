/** `jwtExpiry`: the `exp` claim of a JWT access token, in ms; undefined for anything else. */
import { describe, expect, test } from 'vitest';
import { jwtExpiry } from './expiry-fields.ts';
import { papayaJwt, partnerJwt } from './test-support/seed-jwts.ts';
import { unsignedJwt } from './test-support/unsigned-jwt.ts';

describe('jwtExpiry', () => {
  test('reads exp from the seed 002 (Papaya) token', () => {
    expect(jwtExpiry(papayaJwt)).toBe(1_720_684_111_000);
  });

  test('reads a fractional exp from the seed 004 (partner) token, rounded to the ms', () => {
    expect(jwtExpiry(partnerJwt)).toBe(1_710_223_631_577);
  });

  test('decodes a UTF-8 payload', () => {
    expect(jwtExpiry(unsignedJwt({ name: 'Zoë 東京', exp: 1_700_000_000 }))).toBe(
      1_700_000_000_000,
    );
  });

  test.each([
    { name: 'an opaque token', token: 'xxxxxxxxxxxxxxxxxxxxxx' },
    { name: 'two segments', token: 'eyJhbGciOiJub25lIn0.eyJleHAiOjF9' },
    { name: 'five segments (JWE)', token: `${unsignedJwt({ exp: 1 })}.a.b` },
    { name: 'an empty payload', token: 'eyJhbGciOiJub25lIn0..sig' },
    { name: 'a payload that is not base64', token: 'eyJhbGciOiJub25lIn0.!!!.sig' },
    {
      name: 'a payload that is not JSON',
      token: `h.${Buffer.from('not json').toString('base64url')}.s`,
    },
    { name: 'a null payload', token: unsignedJwt(null) },
    { name: 'no exp claim', token: unsignedJwt({ iat: 1_700_000_000 }) },
    { name: 'a string exp', token: unsignedJwt({ exp: '1700000000' }) },
    { name: 'a negative exp', token: unsignedJwt({ exp: -5 }) },
    { name: 'a zero exp', token: unsignedJwt({ exp: 0 }) },
  ])('is undefined for $name', ({ token }) => {
    expect(jwtExpiry(token)).toBeUndefined();
  });
});
