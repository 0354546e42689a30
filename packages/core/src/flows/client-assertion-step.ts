/**
 * The request step of JWT client authentication (RFC 7523 §2.2): a fresh assertion for every
 * attempt, signed with the private key (`private_key_jwt`) or the client secret
 * (`client_secret_jwt`), or read from the `clientAssertion` callback. Loaded on first use (see
 * `client-auth.ts`), so that clients authenticating with a secret never carry it.
 *
 * @module
 */
import { appendBodyParams } from '../internal/append-body-params.ts';
import type { BodyFormat } from '../internal/build-request.ts';
import { type AssertionSettings, assertionSigner } from '../jose/client-assertion.ts';
import type { RequestStep } from '../request-step.ts';
import type { PerAttemptAuth } from './client-auth.ts';
import { readRequestInput } from './request-input-step.ts';

/**
 * Where the assertion comes from, what it says and how the body is encoded.
 *
 * @example
 * ```ts
 * const settings: ClientAssertionSettings = {
 *   assertionLabel: 'clientCredentials: clientAssertion', bodyFormat: 'form',
 *   source: { clientAssertion: () => readFile(tokenFile, 'utf8') },
 * };
 * ```
 */
export interface ClientAssertionSettings {
  /** The option named by errors of the `clientAssertion` callback. */
  readonly assertionLabel: string;
  readonly bodyFormat: BodyFormat;
  readonly source:
    | { readonly clientAssertion: () => string | Promise<string> }
    | { readonly signed: AssertionSettings };
}

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The step that adds `client_assertion_type` and a fresh `client_assertion` to each attempt. The
 * key is imported on the first attempt; its secrets (a PEM's lines, a JWK's private members, the
 * HMAC secret) are redacted from every error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 * @example
 * ```ts
 * const step = clientAssertionStep(settings);
 * const sent = await step.prepare(template, context);
 * ```
 */
export function clientAssertionStep(settings: ClientAssertionSettings): RequestStep {
  const { source } = settings;
  let signer: Promise<(nowMs: number) => Promise<string>> | undefined;
  const assertion = async (nowMs: number): Promise<string> => {
    if ('clientAssertion' in source)
      return readRequestInput(settings.assertionLabel, source.clientAssertion);
    signer ??= assertionSigner(source.signed);
    return (await signer)(nowMs);
  };
  return {
    async prepare(request, context) {
      return appendBodyParams(
        request,
        { client_assertion_type: assertionType, client_assertion: await assertion(context.now()) },
        settings.bodyFormat,
      );
    },
    secrets: () => ('signed' in source ? keySecrets(source.signed.key) : []),
  };
}

/**
 * The step of JWT client authentication for options checked at creation (see `client-auth.ts`):
 * the `clientAssertion` callback's assertion, or one signed with the private key or the client
 * secret, for the token URL (or `assertionAudience`), valid `assertionLifetimeSeconds` (60).
 *
 * @example
 * ```ts
 * const step = jwtClientAuthStep({ ...auth, method: 'client_secret_jwt' });
 * ```
 */
export function jwtClientAuthStep(auth: PerAttemptAuth): RequestStep {
  const { options, bodyFormat } = auth;
  const label = (name: string): string => `${auth.flowName}: ${name}`;
  const assertionLabel = label('clientAssertion');
  const { clientAssertion, privateKey } = options;
  if (clientAssertion !== undefined)
    return clientAssertionStep({ assertionLabel, bodyFormat, source: { clientAssertion } });
  const signed: AssertionSettings = {
    clientId: auth.clientId,
    audience: options.assertionAudience ?? auth.tokenUrl,
    keyId: options.keyId,
    lifetimeSeconds: options.assertionLifetimeSeconds ?? 60,
    ...(privateKey === undefined
      ? { label: label('clientSecret'), key: { clientSecret: auth.clientSecret } }
      : {
          label: label('privateKey'),
          key: { privateKey, algorithm: options.signingAlgorithm },
        }),
  };
  return clientAssertionStep({ assertionLabel, bodyFormat, source: { signed } });
}

/** The values of a key that must never show: the HMAC secret, a PEM and its lines, a JWK's private members. */
function keySecrets(key: AssertionSettings['key']): string[] {
  if ('clientSecret' in key) return [key.clientSecret];
  const { privateKey } = key;
  if (typeof privateKey === 'string') {
    const lines = privateKey
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => /^[A-Za-z0-9+/=]+$/.test(line));
    return [privateKey, lines.join(''), ...lines];
  }
  const jwk = privateKey as JsonWebKey;
  return [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].filter(
    (value): value is string => typeof value === 'string',
  );
}
