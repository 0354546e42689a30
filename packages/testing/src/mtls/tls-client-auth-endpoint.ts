/**
 * A strict token endpoint for `tls_client_auth` (RFC 8705 §2.1): the client authenticates with
 * the certificate of its TLS connection, whose subject must be the one registered for its
 * `client_id`, and sends nothing else that authenticates (no secret, no assertion, no Basic
 * header). Each access token is bound to the certificate's SHA-256 thumbprint (RFC 8705 §3), kept
 * here on the server for the protected API to compare.
 *
 * @module
 */
import { randomBytes, type X509Certificate } from 'node:crypto';
import type { RecordedRequest } from '@tokenwise/test-kit/server';
import { bodyOf, hasExactly, header, jsonAnswer, noStore } from '../internal/http.ts';
import { certificateThumbprint } from './test-pki.ts';

/**
 * What a certificate-bound access token stands for.
 *
 * @example
 * ```ts
 * const binding = endpoint.bindingOf(accessToken);
 * binding?.thumbprint === certificateThumbprint(peer); // the API's check
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-3.1
 */
export interface CertificateBinding {
  readonly clientId: string;
  /** `x5t#S256` of the certificate the token was issued to. */
  readonly thumbprint: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/**
 * How the endpoint is set up.
 *
 * @example
 * ```ts
 * const options: TlsClientAuthOptions = {
 *   subjects: { 'cc-mtls': 'CN=cc-mtls' },
 *   accessTokenTtl: 300,
 *   now: Date.now,
 * };
 * ```
 */
export interface TlsClientAuthOptions {
  /** Registered clients: `client_id` → the certificate subject it must present (`tls_client_auth_subject_dn`). */
  readonly subjects: Readonly<Record<string, string>>;
  /** Seconds. */
  readonly accessTokenTtl: number;
  readonly now: () => number;
}

/**
 * An answer, and the OAuth error code it carries (`undefined` when a token was issued).
 *
 * @example
 * ```ts
 * const { response, error } = endpoint.answer(request, peer);
 * if (error !== undefined) stats.tokenErrors.push(error);
 * ```
 */
export interface TokenAnswer {
  readonly response: Response;
  readonly error: string | undefined;
}

/** Parameters that authenticate a client some other way (RFC 6749 §2.3.1, RFC 7521 §4.2). */
const otherAuthentication = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * The token endpoint's logic, apart from any socket: `answer` judges a request given the
 * certificate its connection presented.
 *
 * @example
 * ```ts
 * const endpoint = new TlsClientAuthEndpoint({ subjects: { 'cc-mtls': 'CN=cc-mtls' }, accessTokenTtl: 300, now: Date.now });
 * await writeResponse(res, endpoint.answer(await readRequest(req, origin), verifiedPeerCertificate(req)).response);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-2.1
 */
export class TlsClientAuthEndpoint {
  readonly #options: TlsClientAuthOptions;
  readonly #bindings = new Map<string, CertificateBinding>();

  constructor(options: TlsClientAuthOptions) {
    this.#options = options;
  }

  /** The answer to a token request that arrived over a connection presenting `peer`. */
  answer(request: RecordedRequest, peer: X509Certificate | undefined): TokenAnswer {
    const now = this.#options.now();
    const fail = (status: number, error: string, description: string): TokenAnswer => ({
      response: jsonAnswer(status, { error, error_description: description }, now, noStore),
      error,
    });
    const { mediaType, fields } = bodyOf(request);
    if (mediaType !== 'application/x-www-form-urlencoded' || fields === undefined)
      return fail(400, 'invalid_request', 'a form body is required');
    if (
      header(request, 'authorization') !== undefined ||
      otherAuthentication.some((name) => name in fields)
    )
      return fail(400, 'invalid_request', 'only one client authentication method is allowed');
    if (!hasExactly(fields, ['grant_type', 'client_id'], ['scope']))
      return fail(400, 'invalid_request', 'grant_type and client_id are required');
    if (fields.grant_type !== 'client_credentials')
      return fail(400, 'unsupported_grant_type', 'only client_credentials is supported');
    const subject = this.#options.subjects[fields.client_id ?? ''];
    if (peer === undefined) return fail(401, 'invalid_client', 'no client certificate');
    if (subject === undefined || peer.subject !== subject)
      return fail(401, 'invalid_client', 'the certificate does not match the client');

    const accessToken = randomBytes(32).toString('base64url');
    const { accessTokenTtl } = this.#options;
    this.#bindings.set(accessToken, {
      clientId: fields.client_id ?? '',
      thumbprint: certificateThumbprint(peer),
      expiresAt: now + accessTokenTtl * 1000,
    });
    const token = { access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenTtl };
    return { response: jsonAnswer(200, token, now, noStore), error: undefined };
  }

  /** What `accessToken` is bound to; `undefined` for a token never issued or expired. */
  bindingOf(accessToken: string): CertificateBinding | undefined {
    const binding = this.#bindings.get(accessToken);
    return binding !== undefined && binding.expiresAt > this.#options.now() ? binding : undefined;
  }
}
