/** JWTs made up for tests: tokenwise only decodes a JWT's payload, it never checks a signature. */

/**
 * A JWT with an `alg: none` header, `payload` as its claims and a made-up signature.
 *
 * @example
 * const token = unsignedJwt({ exp: 1_700_000_000, sub: 'x' });
 * expect(jwtExpiry(token)).toBe(1_700_000_000_000);
 */
export function unsignedJwt(payload: unknown): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
}
