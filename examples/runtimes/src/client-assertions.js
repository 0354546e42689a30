// private_key_jwt in the runtime itself: for each algorithm and key form, a manager signs a
// client assertion (the signing code is a lazily imported chunk of @tokenwise/core) and sends it
// to a token endpoint played by an injected fetch, which verifies the signature with the public
// key and the claims (iss, sub, aud, jti, exp) before answering a token. Plain JavaScript, so
// Deno, Bun and workerd run it as it is.
import { clientCredentials, createTokenManager } from '@tokenwise/core';

const tokenUrl = 'https://auth.example.test/token';
const algorithms = {
  RS256: {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  },
  PS256: {
    name: 'RSA-PSS',
    hash: 'SHA-256',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
};
const verifyParams = {
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
};

const fromBase64url = (text) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function pemOf(privateKey) {
  const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', privateKey));
  const base64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN PRIVATE KEY-----\n${base64.match(/.{1,64}/g).join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** The token endpoint: answers a token when the assertion verifies, else 401 with the reason. */
function verifyingEndpoint(publicKey, algorithm) {
  return async (_input, init) => {
    const form = new URLSearchParams(String(init.body));
    const [head, body, signature] = (form.get('client_assertion') ?? '').split('.');
    const header = JSON.parse(new TextDecoder().decode(fromBase64url(head)));
    const claims = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
    const valid = await crypto.subtle.verify(
      verifyParams[algorithm],
      publicKey,
      fromBase64url(signature),
      new TextEncoder().encode(`${head}.${body}`),
    );
    const now = Math.floor(Date.now() / 1000);
    const problems = [
      !valid && 'signature',
      header.alg !== algorithm && 'alg',
      (claims.iss !== 'runtime-app' || claims.sub !== 'runtime-app') && 'iss/sub',
      claims.aud !== tokenUrl && 'aud',
      !(claims.exp > now && claims.exp <= now + 300) && 'exp',
      typeof claims.jti !== 'string' && 'jti',
      form.get('client_assertion_type') !==
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && 'type',
    ].filter(Boolean);
    return problems.length === 0
      ? Response.json({ access_token: `at-${algorithm}`, token_type: 'Bearer', expires_in: 60 })
      : Response.json(
          { error: 'invalid_client', error_description: problems.join(',') },
          { status: 401 },
        );
  };
}

/** `{ 'RS256 pem': 'ok', … }`: each algorithm from a PEM, a JWK and a CryptoKey; else the error. */
export async function proveClientAssertions() {
  const results = {};
  for (const [algorithm, params] of Object.entries(algorithms)) {
    const pair = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
    const forms = {
      pem: await pemOf(pair.privateKey),
      jwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
      cryptoKey: pair.privateKey,
    };
    for (const [form, privateKey] of Object.entries(forms)) {
      const tokens = createTokenManager({
        flow: clientCredentials({
          tokenUrl,
          clientId: 'runtime-app',
          privateKey,
          ...(algorithm === 'PS256' && form !== 'cryptoKey' && { signingAlgorithm: 'PS256' }),
        }),
        fetch: verifyingEndpoint(pair.publicKey, algorithm),
        retry: false,
      });
      try {
        const token = await tokens.getToken();
        results[`${algorithm} ${form}`] =
          token.accessToken === `at-${algorithm}` ? 'ok' : token.accessToken;
      } catch (error) {
        results[`${algorithm} ${form}`] = String(error?.message ?? error);
      } finally {
        await tokens.close();
      }
    }
  }
  return results;
}
