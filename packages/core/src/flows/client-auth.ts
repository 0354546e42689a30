/**
 * Client authentication at the token endpoint: the method checked at creation, and what it adds
 * to each request: body parameters and headers in the request template, or a per-attempt step (a
 * fresh assertion, `'auto'`) whose code loads on first use.
 *
 * @module
 */
import type { BodyFormat } from '../internal/build-request.ts';
import { basicCredentials } from '../internal/build-request.ts';
import { integerInRange, oneOf, requireNonEmptyString } from '../internal/options.ts';
import { lazyStep } from '../request-step-lazy.ts';
import type { ClientAssertionSettings } from './client-assertion-step.ts';
import type { ClientAuth, ClientAuthentication, ClientAuthInput } from './client-auth-options.ts';
import { checkPrivateKey } from './private-key-option.ts';

// Shared by every flow whose client authentication adds no headers, steps or key material.
const noHeaders: Readonly<Record<string, string>> = Object.freeze({});
const noSteps: readonly never[] = Object.freeze([]);

const methods: readonly ClientAuth[] = [
  'client_secret_post',
  'client_secret_basic',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
  'auto',
];

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
  const none = {
    params: { client_id: clientId },
    headers: noHeaders,
    steps: noSteps,
    keyMaterial: noSteps,
  };
  if (method === 'none') return none;
  requireNonEmptyString(label('clientId'), clientId);
  const assertionStep = (source: ClientAssertionSettings['source']): ClientAuthentication => ({
    ...none,
    steps: [
      lazyStep(() =>
        import('./client-assertion-step.ts').then((step) =>
          step.clientAssertionStep({
            assertionLabel: label('clientAssertion'),
            bodyFormat,
            source,
          }),
        ),
      ),
    ],
    // Never the assertion (fresh each time): what identifies the credential instead.
    keyMaterial: [
      method,
      method === 'client_secret_jwt' ? String(clientSecret) : (options.keyId ?? ''),
    ],
  });
  if (method === 'private_key_jwt') {
    if (clientAssertion !== undefined) {
      if (typeof clientAssertion !== 'function')
        throw new TypeError(
          `${label('clientAssertion')} must be a function returning the assertion`,
        );
      if (privateKey !== undefined)
        throw new TypeError(
          `${label('privateKey')} and clientAssertion exclude each other: give one`,
        );
      return assertionStep({ clientAssertion });
    }
    if (privateKey === undefined)
      throw new TypeError(
        `${label('privateKey')} is required by clientAuth 'private_key_jwt' (or give clientAssertion)`,
      );
    checkPrivateKey(label('privateKey'), privateKey);
    const algorithm =
      options.signingAlgorithm === undefined
        ? undefined
        : oneOf(
            label('signingAlgorithm'),
            options.signingAlgorithm,
            ['RS256', 'PS256', 'ES256', 'EdDSA'],
            'RS256',
          );
    return assertionStep({
      signed: {
        ...claims(label, options, clientId, tokenUrl),
        label: label('privateKey'),
        key: { privateKey, algorithm },
      },
    });
  }
  requireNonEmptyString(label('clientSecret'), clientSecret);
  if (method === 'client_secret_post')
    return { ...none, params: { client_id: clientId, client_secret: clientSecret } };
  if (method === 'client_secret_basic')
    return {
      ...none,
      params: {},
      headers: { Authorization: basicCredentials(clientId, clientSecret, basicEncoding) },
    };
  if (method === 'client_secret_jwt')
    return assertionStep({
      signed: {
        ...claims(label, options, clientId, tokenUrl),
        label: label('clientSecret'),
        key: { clientSecret },
      },
    });
  const auto = { tokenUrl, clientId, clientSecret, basicEncoding, bodyFormat };
  return {
    ...none,
    steps: [
      lazyStep(() => import('./client-auth-auto.ts').then((step) => step.autoClientAuthStep(auto))),
    ],
    keyMaterial: [method, clientSecret],
  };
}

/** The checked claims settings of a signed assertion. */
function claims(
  label: (name: string) => string,
  options: ClientAuthInput,
  clientId: string,
  tokenUrl: string,
) {
  if (options.keyId !== undefined) requireNonEmptyString(label('keyId'), options.keyId);
  if (options.assertionAudience !== undefined)
    requireNonEmptyString(label('assertionAudience'), options.assertionAudience);
  return {
    clientId,
    audience: options.assertionAudience ?? tokenUrl,
    keyId: options.keyId,
    lifetimeSeconds: integerInRange(
      label('assertionLifetimeSeconds'),
      options.assertionLifetimeSeconds,
      {
        min: 1,
        max: 300,
        fallback: 60,
      },
    ),
  };
}
