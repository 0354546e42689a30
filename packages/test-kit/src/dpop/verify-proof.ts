/**
 * A DPoP proof check as a resource server or token endpoint makes it (RFC 9449 §4.3, §7.1),
 * written independently of `@tokenwise/core` on `node:crypto`, so that tests do not verify the
 * library with its own code.
 */
import { createHash, createPublicKey, type JsonWebKey, verify } from 'node:crypto';

/** What the server expects of a proof. */
export interface ProofExpectations {
  /** The request's method (`htm`). */
  readonly method: string;
  /** The request's URL as the server received it (`htu`: compared without query and fragment). */
  readonly url: string;
  /** The access token the request carried: `ath` must be its SHA-256. Absent at a token endpoint. */
  readonly accessToken?: string | undefined;
  /** The thumbprint the token is bound to (`cnf.jkt`): the proof's key must have it. */
  readonly jkt?: string | undefined;
  /** The nonce the server requires, when it does. */
  readonly nonce?: string | undefined;
  /** `jti`s already seen: a repeated one is a replay. Each accepted proof adds its own. */
  readonly seenJtis: Set<string>;
  /** Seconds `iat` may be away from now. @default 60 */
  readonly windowSeconds?: number | undefined;
}

/** Why a proof was refused; `nonce` when only the nonce was missing or stale. */
export class DpopProofRefusal extends Error {
  override readonly name = 'DpopProofRefusal';
  readonly nonce: boolean;

  constructor(message: string, nonce = false) {
    super(message);
    this.nonce = nonce;
  }
}

/** What an accepted proof tells: its key's thumbprint and its claims. */
export interface AcceptedProof {
  readonly jkt: string;
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

const verifyParams: Record<string, { hash: string | null; padding?: number; dsa?: boolean }> = {
  ES256: { hash: 'sha256', dsa: true },
  RS256: { hash: 'sha256' },
  PS256: { hash: 'sha256', padding: 6 /* RSA_PKCS1_PSS_PADDING */ },
  EdDSA: { hash: null },
};

/**
 * Checks the `DPoP` header value `proof` against `expected`; resolves to the accepted proof, or
 * throws a {@link DpopProofRefusal} naming the first check that failed.
 *
 * @example
 * ```ts
 * const { jkt } = verifyDpopProof(req.headers.dpop, { method: 'GET', url, accessToken, seenJtis });
 * ```
 */
export function verifyDpopProof(
  proof: string | string[] | undefined | null,
  expected: ProofExpectations,
): AcceptedProof {
  if (typeof proof !== 'string' || proof === '' || proof.includes(','))
    throw new DpopProofRefusal('exactly one DPoP header is required');
  const parts = proof.split('.');
  if (parts.length !== 3) throw new DpopProofRefusal('the proof is not a compact JWS');
  const [encodedHeader, encodedClaims, signature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader, 'header');
  const claims = decodeJson(encodedClaims, 'claims');
  if (header.typ !== 'dpop+jwt') throw new DpopProofRefusal('typ is not dpop+jwt');
  const params = typeof header.alg === 'string' ? verifyParams[header.alg] : undefined;
  if (params === undefined) throw new DpopProofRefusal(`alg ${String(header.alg)} is not allowed`);
  const jwk = header.jwk as JsonWebKey | undefined;
  if (typeof jwk !== 'object' || jwk === null) throw new DpopProofRefusal('no jwk in the header');
  if ('d' in jwk || 'p' in jwk || 'k' in jwk)
    throw new DpopProofRefusal('the jwk holds private key material');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const signed = verify(
    params.hash,
    Buffer.from(`${encodedHeader}.${encodedClaims}`),
    {
      key,
      ...(params.dsa ? { dsaEncoding: 'ieee-p1363' as const } : {}),
      ...(params.padding ? { padding: params.padding, saltLength: 32 } : {}),
    },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new DpopProofRefusal('the signature does not verify with the jwk');
  if (claims.htm !== expected.method.toUpperCase())
    throw new DpopProofRefusal(`htm ${String(claims.htm)} is not ${expected.method}`);
  const target = new URL(expected.url);
  target.search = '';
  target.hash = '';
  if (claims.htu !== target.href)
    throw new DpopProofRefusal(`htu ${String(claims.htu)} is not ${target.href}`);
  const now = Math.floor(Date.now() / 1000);
  const windowSeconds = expected.windowSeconds ?? 60;
  if (typeof claims.iat !== 'number' || Math.abs(claims.iat - now) > windowSeconds)
    throw new DpopProofRefusal(`iat ${String(claims.iat)} is outside ±${windowSeconds} s`);
  if (typeof claims.jti !== 'string' || claims.jti.length < 8)
    throw new DpopProofRefusal('jti is missing or too short');
  if (expected.seenJtis.has(claims.jti)) throw new DpopProofRefusal('jti was seen before (replay)');
  if (expected.accessToken !== undefined) {
    const ath = createHash('sha256').update(expected.accessToken).digest('base64url');
    if (claims.ath !== ath) throw new DpopProofRefusal('ath is not the hash of the access token');
  } else if ('ath' in claims) {
    throw new DpopProofRefusal('ath without an access token');
  }
  const jkt = thumbprintOf(jwk);
  if (expected.jkt !== undefined && jkt !== expected.jkt)
    throw new DpopProofRefusal("the proof's key is not the one the token is bound to (cnf.jkt)");
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce)
    throw new DpopProofRefusal('the nonce is missing or stale', true);
  expected.seenJtis.add(claims.jti);
  return { jkt, header, claims };
}

/**
 * RFC 7638 SHA-256 thumbprint of a public JWK, base64url.
 *
 * @example
 * ```ts
 * thumbprintOf({ kty: 'EC', crv: 'P-256', x, y });
 * ```
 */
export function thumbprintOf(jwk: JsonWebKey): string {
  const members: Record<string, string[]> = {
    EC: ['crv', 'kty', 'x', 'y'],
    RSA: ['e', 'kty', 'n'],
    OKP: ['crv', 'kty', 'x'],
  };
  const names = members[String(jwk.kty)];
  if (names === undefined) throw new DpopProofRefusal(`key type ${String(jwk.kty)} is not allowed`);
  const required = Object.fromEntries(names.map((name) => [name, jwk[name]]));
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {}
  throw new DpopProofRefusal(`the proof's ${what} is not a JSON object`);
}
