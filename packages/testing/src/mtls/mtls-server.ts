/**
 * A local HTTPS server that requires a client certificate on every connection
 * (`requestCert: true, rejectUnauthorized: true`: a connection without one, or with one the test
 * CA did not issue, fails in the handshake): a `tls_client_auth` token endpoint at `/token`
 * issuing certificate-bound tokens, and a protected API at `/api/…` that accepts a token only
 * over a connection presenting the certificate it is bound to.
 *
 * Test-only; not exported from the package.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { readRequest, writeResponse } from '@tokenwise/test-kit/server';
import { closeLoopback, listenOnLoopback } from '../interop/loopback-http.ts';
import { type BoundApiStats, certificateBoundApi } from './certificate-bound-api.ts';
import type { KeyAndCertificate } from './test-pki.ts';
import { type CertificateBinding, TlsClientAuthEndpoint } from './tls-client-auth-endpoint.ts';
import { verifiedPeerCertificate } from './tls-loopback.ts';

/**
 * What the server counts: token requests, the OAuth errors it answered, API calls and why it
 * refused some.
 *
 * @example
 * ```ts
 * expect(server.stats).toMatchObject({ tokensIssued: 1, apiCalls: 2, apiRejected: [] });
 * ```
 */
export interface MtlsStats extends BoundApiStats {
  tokenRequests: number;
  tokensIssued: number;
  readonly tokenErrors: string[];
}

/**
 * A running server.
 *
 * @example
 * ```ts
 * await using server = await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' });
 * const flow = clientCredentials({ tokenUrl: server.tokenUrl, clientId: server.clientId, clientAuth: 'none' });
 * ```
 */
export interface MtlsServer {
  readonly origin: string;
  /** `${origin}/token` */
  readonly tokenUrl: string;
  /** `${origin}/api` */
  readonly apiUrl: string;
  /** The registered client: its certificate's subject must be `CN=<clientId>`. */
  readonly clientId: string;
  readonly stats: MtlsStats;
  /** What `accessToken` is bound to (`undefined`: not issued here, or expired). */
  bindingOf(accessToken: string): CertificateBinding | undefined;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts the server on a loopback port with the server certificate and CA of `tls`.
 *
 * @example
 * ```ts
 * const pki = await createTestPki(['cc-mtls', 'intruder']);
 * const server = defer(await startMtlsServer({ tls: pki.server, clientId: 'cc-mtls' }));
 * ```
 */
export async function startMtlsServer(options: {
  readonly tls: KeyAndCertificate;
  readonly clientId: string;
  /** Seconds. @default 300 */
  readonly accessTokenTtl?: number;
}): Promise<MtlsServer> {
  const { clientId } = options;
  const stats: MtlsStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    tokenErrors: [],
    apiCalls: 0,
    apiRejected: [],
  };
  const endpoint = new TlsClientAuthEndpoint({
    subjects: { [clientId]: `CN=${clientId}` },
    accessTokenTtl: options.accessTokenTtl ?? 300,
    now: Date.now,
  });
  const api = certificateBoundApi(async (token) => endpoint.bindingOf(token), stats);
  let origin = '';

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    stats.tokenRequests++;
    const { response, error } = endpoint.answer(
      await readRequest(req, origin),
      verifiedPeerCertificate(req),
    );
    if (error === undefined) stats.tokensIssued++;
    else stats.tokenErrors.push(error);
    await writeResponse(res, response);
  };

  const server = createServer(
    {
      key: options.tls.key,
      cert: options.tls.cert,
      ca: options.tls.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      if (req.method === 'POST' && path === '/token') {
        token(req, res).catch(() => res.destroy());
        return;
      }
      if (path.startsWith('/api/')) return api(req, res);
      req.resume();
      res.writeHead(404).end();
    },
  );
  origin = await listenOnLoopback(server);
  const close = () => closeLoopback(server);
  return {
    origin,
    tokenUrl: `${origin}/token`,
    apiUrl: `${origin}/api`,
    clientId,
    stats,
    bindingOf: (accessToken) => endpoint.bindingOf(accessToken),
    close,
    [Symbol.asyncDispose]: close,
  };
}
