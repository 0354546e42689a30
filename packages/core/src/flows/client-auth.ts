/**
 * Client authentication at the token endpoint: the options checked at creation, and what the
 * method adds to each request. A secret in the body or in Basic credentials is part of the
 * request template; a fresh assertion or `'auto'` is a per-attempt step whose code (settings,
 * signing, fallback) loads on first use, so that a client authenticating with a secret carries
 * only the checks.
 *
 * @module
 */
import type { BasicEncoding, BodyFormat } from '../internal/build-request.ts';
import { basicCredentials } from '../internal/build-request.ts';
import { integerInRange, oneOf, requireNonEmptyString } from '../internal/options.ts';
import { lazyStep } from '../request-step-lazy.ts';
import type { ClientAuth, ClientAuthentication, ClientAuthInput } from './client-auth-options.ts';
import { checkKeyOptions } from './private-key-option.ts';

// Shared by every flow whose client authentication adds no headers, steps or key material.
const noHeaders: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({});
const noSteps: readonly never[] = /* @__PURE__ */ Object.freeze([]);

const methods: readonly ClientAuth[] = [
  'client_secret_post',
  'client_secret_basic',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
  'auto',
];

/**
 * A client authentication that completes each attempt (a fresh assertion, `'auto'`), with the
 * options it was created from, already checked: the lazily loaded step reads its settings here.
 *
 * @example
 * ```ts
 * const auth: PerAttemptAuth = { method: 'auto', flowName: 'clientCredentials', options, clientId, clientSecret, tokenUrl, bodyFormat: 'form', basicEncoding: 'form' };
 * ```
 */
export interface PerAttemptAuth {
  readonly method: 'client_secret_jwt' | 'private_key_jwt' | 'auto';
  readonly flowName: string;
  readonly options: ClientAuthInput;
  readonly clientId: string;
  /** Absent under `private_key_jwt`. */
  readonly clientSecret: string;
  readonly tokenUrl: string;
  readonly bodyFormat: BodyFormat;
  readonly basicEncoding: BasicEncoding;
}

/**
 * Checks the client authentication options (TypeError naming the option) and returns what the
 * method adds to each request. `fallback` is the method when `clientAuth` is absent and neither a
 * key nor an assertion callback says `private_key_jwt`.
 *
 * @example
 * ```ts
 * const auth = clientAuthentication('clientCredentials', options, tokenUrl, 'form', 'client_secret_post');
 * ```
 */
export function clientAuthentication(
  flowName: string,
  options: ClientAuthInput,
  tokenUrl: string,
  bodyFormat: BodyFormat,
  fallback: ClientAuth,
): ClientAuthentication {
  const label = (name: string): string => `${flowName}: ${name}`;
  const { clientId, clientSecret, privateKey, clientAssertion } = options;
  const keyed = privateKey !== undefined || clientAssertion !== undefined;
  const method = oneOf(
    label('clientAuth'),
    options.clientAuth,
    methods,
    keyed ? 'private_key_jwt' : fallback,
  );
  const given = privateKey !== undefined ? 'privateKey' : 'clientAssertion';
  if (keyed && method !== 'private_key_jwt')
    throw new TypeError(`${label(given)} needs clientAuth 'private_key_jwt' (got '${method}')`);
  const basicEncoding = oneOf(
    label('basicEncoding'),
    options.basicEncoding,
    ['form', 'raw'],
    'form',
  );
  if (method === 'none') return templateOnly({ client_id: clientId });
  requireNonEmptyString(label('clientId'), clientId);
  if (method === 'private_key_jwt') checkKeyOptions(label, options);
  else requireNonEmptyString(label('clientSecret'), clientSecret);
  if (method === 'client_secret_post')
    return templateOnly({ client_id: clientId, client_secret: clientSecret });
  if (method === 'client_secret_basic')
    return {
      ...templateOnly({}),
      headers: { Authorization: basicCredentials(clientId, clientSecret as string, basicEncoding) },
    };
  if (method !== 'auto' && clientAssertion === undefined) {
    // The claims of a signed assertion.
    if (options.keyId !== undefined) requireNonEmptyString(label('keyId'), options.keyId);
    if (options.assertionAudience !== undefined)
      requireNonEmptyString(label('assertionAudience'), options.assertionAudience);
    integerInRange(label('assertionLifetimeSeconds'), options.assertionLifetimeSeconds, {
      min: 1,
      max: 300,
      fallback: 60,
    });
  }
  const auth: PerAttemptAuth = {
    method,
    flowName,
    options,
    clientId,
    clientSecret: clientSecret as string,
    tokenUrl,
    bodyFormat,
    basicEncoding,
  };
  return {
    ...templateOnly({ client_id: clientId }),
    steps: [
      lazyStep(() =>
        method === 'auto'
          ? import('./client-auth-auto.ts').then((step) => step.autoClientAuthStep(auth))
          : import('./client-assertion-step.ts').then((step) => step.jwtClientAuthStep(auth)),
      ),
    ],
    // Never an assertion (fresh each time): what identifies the credential instead.
    keyMaterial: [
      method,
      method === 'private_key_jwt' ? (options.keyId ?? '') : (clientSecret as string),
    ],
  };
}

/** A client authentication that only adds `params` to the request template. */
function templateOnly(params: ClientAuthentication['params']): ClientAuthentication {
  return { params, headers: noHeaders, steps: noSteps, keyMaterial: noSteps };
}
