/**
 * ES256 JWTs for the strict grant server: an upstream identity provider that signs the subject
 * tokens and grant assertions the server trusts, and the verification RFC 7523 §3 asks of a
 * server (signature, `iss`, `sub`, `aud`, `exp`, `nbf`, single-use `jti`).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';

const es256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const sha256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');

/**
 * An ES256 key pair that signs JWTs; its public half verifies them.
 *
 * @example
 * ```ts
 * const upstream = await jwtIssuer('https://idp.test');
 * const jwt = await upstream.sign({ sub: 'user-1', aud: tokenUrl }, 300);
 * ```
 */
export interface JwtIssuer {
  readonly issuer: string;
  readonly publicKey: CryptoKey;
  /** The private key as a JWK, for a client that signs its own assertions with tokenwise. */
  readonly privateJwk: JsonWebKey;
  /** A JWT with `iss`, `iat`, `exp` (`lifetimeSeconds` ahead, negative: already expired), `jti`, and `claims`. */
  sign(claims: Readonly<Record<string, unknown>>, lifetimeSeconds?: number): Promise<string>;
}

/**
 * A new issuer named `issuer` with a fresh key.
 *
 * @example
 * ```ts
 * const client = await jwtIssuer('sts-client');
 * ```
 */
export async function jwtIssuer(issuer: string): Promise<JwtIssuer> {
  const pair = (await crypto.subtle.generateKey(es256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  return {
    issuer,
    publicKey: pair.publicKey,
    privateJwk,
    async sign(claims, lifetimeSeconds = 300) {
      const iat = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        iat,
        exp: iat + lifetimeSeconds,
        jti: randomBytes(12).toString('hex'),
        ...claims,
      };
      const input = `${b64(JSON.stringify({ alg: 'ES256', typ: 'JWT' }))}.${b64(JSON.stringify(payload))}`;
      const signature = await crypto.subtle.sign(
        sha256,
        pair.privateKey,
        new TextEncoder().encode(input),
      );
      return `${input}.${b64(new Uint8Array(signature))}`;
    },
  };
}

/**
 * What a verified JWT must say: its issuer (`iss`, and `sub` too for a client assertion), an
 * audience it must list, and where used `jti`s are kept.
 *
 * @example
 * ```ts
 * const rules: JwtRules = { key: upstream.publicKey, issuer: upstream.issuer, audience: tokenUrl, seenJtis: new Set() };
 * ```
 */
export interface JwtRules {
  readonly key: CryptoKey;
  readonly issuer: string;
  readonly subject?: string | undefined;
  readonly audience?: string | undefined;
  /** `jti`s already accepted: a JWT that reuses one is refused. Absent: `jti` not checked. */
  readonly seenJtis?: Set<string> | undefined;
}

/**
 * The claims of `jwt` when it passes every rule; otherwise the reason it does not.
 *
 * @example
 * ```ts
 * const result = await verifyJwt(assertion, rules);
 * if ('problem' in result) return refuse('invalid_grant', result.problem);
 * ```
 */
export async function verifyJwt(
  jwt: string,
  rules: JwtRules,
): Promise<{ readonly claims: Record<string, unknown> } | { readonly problem: string }> {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { problem: 'not a compact JWS' };
  const [head = '', body = '', signature = ''] = parts;
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'undecodable JWT' };
  }
  if (header.alg !== 'ES256') return { problem: `unexpected alg ${String(header.alg)}` };
  const valid = await crypto.subtle.verify(
    sha256,
    rules.key,
    Buffer.from(signature, 'base64url'),
    new TextEncoder().encode(`${head}.${body}`),
  );
  if (!valid) return { problem: 'bad signature' };
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== rules.issuer) return { problem: 'wrong iss' };
  if (rules.subject !== undefined && claims.sub !== rules.subject) return { problem: 'wrong sub' };
  if (typeof claims.sub !== 'string' || claims.sub === '') return { problem: 'no sub' };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (rules.audience !== undefined && !audiences.includes(rules.audience))
    return { problem: 'wrong aud' };
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { problem: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf > now) return { problem: 'not yet valid' };
  if (rules.seenJtis !== undefined) {
    if (typeof claims.jti !== 'string') return { problem: 'no jti' };
    if (rules.seenJtis.has(claims.jti)) return { problem: 'jti reused' };
    rules.seenJtis.add(claims.jti);
  }
  return { claims };
}
