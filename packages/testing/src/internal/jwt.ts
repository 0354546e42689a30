/**
 * Signed JWTs for the simulators whose vendors document JWT access tokens. HS256 with a key that
 * lives and dies with one simulator: clients only decode them (tokenwise reads `exp` when an
 * answer has no expiry), and the simulator's API accepts only the tokens it registered.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Signs the JWTs of one simulator. */
export interface JwtSigner {
  sign(
    claims: Readonly<Record<string, unknown>>,
    header?: Readonly<Record<string, unknown>>,
  ): string;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A signer with a fresh random key. */
export function createJwtSigner(): JwtSigner {
  const key = randomBytes(32);
  return {
    sign(claims, header = {}) {
      const head = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', ...header }));
      const body = base64url(JSON.stringify(claims));
      const signature = createHmac('sha256', key).update(`${head}.${body}`).digest();
      return `${head}.${body}.${base64url(signature)}`;
    },
  };
}
