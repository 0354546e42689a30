/**
 * A strict token exchange (RFC 8693) and JWT bearer (RFC 7523 §2.1) server on loopback, with a
 * bearer-protected API. It trusts one upstream issuer's JWTs as subject tokens and grant
 * assertions, knows one `private_key_jwt` client, and refuses what the RFCs do not allow: a
 * missing or unknown token type, an actor token without its type (or the reverse), an assertion
 * with a wrong `aud`, an expired `exp`, a bad signature or a reused `jti`, a body that is no form.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback-http.ts';
import { type JwtIssuer, jwtIssuer, verifyJwt } from './strict-jwt.ts';

const tokenTypePrefix = 'urn:ietf:params:oauth:token-type:';
/** RFC 8693 §3. */
const knownTokenTypes = new Set(
  ['access_token', 'refresh_token', 'id_token', 'saml1', 'saml2', 'jwt'].map(
    (t) => tokenTypePrefix + t,
  ),
);
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const jwtBearerGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** One token request as the server judged it. */
export interface GrantLogEntry {
  readonly grantType: string | null;
  readonly status: number;
  readonly error?: string | undefined;
  /** Why it was refused, in the server's words. */
  readonly problem?: string | undefined;
  readonly clientId?: string | undefined;
}

/**
 * A running strict grant server.
 *
 * @example
 * ```ts
 * const sts = await startStrictGrantServer();
 * const flow = tokenExchange({ tokenUrl: sts.tokenUrl, subjectToken: await sts.upstream.sign({ sub: 'u1' }), subjectTokenType: sts.jwtType });
 * ```
 */
export interface StrictGrantServer {
  readonly tokenUrl: string;
  /** The protected API: answers `{ path, subject }` to a token this server issued. */
  readonly apiUrl: string;
  /** The issuer whose JWTs are trusted as subject tokens, actor tokens and grant assertions. */
  readonly upstream: JwtIssuer;
  /** The registered `private_key_jwt` client: `clientId` and its private JWK. */
  readonly client: { readonly clientId: string; readonly privateKey: JsonWebKey };
  readonly jwtType: string;
  readonly log: readonly GrantLogEntry[];
  close(): Promise<void>;
}

type Answer = {
  status: number;
  body: Record<string, unknown>;
  entry: Omit<GrantLogEntry, 'grantType' | 'status'>;
};
const refuse = (status: number, error: string, problem: string): Answer => ({
  status,
  body: { error, error_description: problem },
  entry: { error, problem },
});

/**
 * Starts the server on its own loopback port.
 *
 * @example
 * ```ts
 * const sts = defer(await startStrictGrantServer());
 * ```
 */
export async function startStrictGrantServer(): Promise<StrictGrantServer> {
  const upstream = await jwtIssuer('https://upstream-idp.test');
  const clientKeys = await jwtIssuer('sts-client');
  const client = { clientId: clientKeys.issuer, privateKey: clientKeys.privateJwk };
  const issued = new Map<string, string>(); // access token → subject
  const seenAssertionJtis = new Set<string>();
  const seenClientJtis = new Set<string>();
  const log: GrantLogEntry[] = [];
  const server = createServer();
  const origin = await listenOnLoopback(server);
  const tokenUrl = `${origin}/token`;

  const authenticateClient = async (
    form: URLSearchParams,
    req: IncomingMessage,
  ): Promise<Answer | string | undefined> => {
    if (req.headers.authorization !== undefined || form.has('client_secret'))
      return refuse(401, 'invalid_client', 'no client here has a secret');
    const assertion = form.get('client_assertion');
    if (assertion === null) return undefined; // a public request: allowed for both grants
    if (form.get('client_assertion_type') !== assertionType)
      return refuse(401, 'invalid_client', 'wrong client_assertion_type');
    const clientId = form.get('client_id') ?? client.clientId;
    if (clientId !== client.clientId) return refuse(401, 'invalid_client', 'unknown client');
    const verified = await verifyJwt(assertion, {
      key: clientKeys.publicKey,
      issuer: client.clientId,
      subject: client.clientId,
      audience: tokenUrl,
      seenJtis: seenClientJtis,
    });
    return 'problem' in verified
      ? refuse(401, 'invalid_client', `client assertion: ${verified.problem}`)
      : clientId;
  };

  const issue = (subject: string, tokenType = 'Bearer', issuedType?: string): Answer => {
    const accessToken = `sts-${randomBytes(16).toString('hex')}`;
    if (tokenType === 'Bearer') issued.set(accessToken, subject);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: tokenType,
        expires_in: 300,
        ...(issuedType && { issued_token_type: issuedType }),
      },
      entry: {},
    };
  };

  const tokenExchange = async (form: URLSearchParams): Promise<Answer> => {
    const subjectToken = form.get('subject_token');
    const subjectType = form.get('subject_token_type');
    if (!subjectToken) return refuse(400, 'invalid_request', 'subject_token is required');
    if (!subjectType) return refuse(400, 'invalid_request', 'subject_token_type is required');
    for (const name of ['subject_token_type', 'actor_token_type', 'requested_token_type']) {
      const type = form.get(name);
      if (type !== null && !knownTokenTypes.has(type))
        return refuse(400, 'invalid_request', `unknown ${name}`);
    }
    if (form.has('actor_token') !== form.has('actor_token_type'))
      return refuse(400, 'invalid_request', 'actor_token and actor_token_type go together');
    const subject = await verifyJwt(subjectToken, {
      key: upstream.publicKey,
      issuer: upstream.issuer,
    });
    if ('problem' in subject)
      return refuse(400, 'invalid_grant', `subject_token: ${subject.problem}`);
    const actorToken = form.get('actor_token');
    if (actorToken !== null) {
      const actor = await verifyJwt(actorToken, {
        key: upstream.publicKey,
        issuer: upstream.issuer,
      });
      if ('problem' in actor) return refuse(400, 'invalid_grant', `actor_token: ${actor.problem}`);
    }
    const requested = form.get('requested_token_type') ?? `${tokenTypePrefix}access_token`;
    // An id_token is no access token: token_type N_A (RFC 8693 §2.2.1).
    const tokenType = requested === `${tokenTypePrefix}id_token` ? 'N_A' : 'Bearer';
    return issue(String(subject.claims.sub), tokenType, requested);
  };

  const jwtBearer = async (form: URLSearchParams): Promise<Answer> => {
    const assertion = form.get('assertion');
    if (!assertion) return refuse(400, 'invalid_request', 'assertion is required');
    const verified = await verifyJwt(assertion, {
      key: upstream.publicKey,
      issuer: upstream.issuer,
      audience: tokenUrl,
      seenJtis: seenAssertionJtis,
    });
    if ('problem' in verified)
      return refuse(400, 'invalid_grant', `assertion: ${verified.problem}`);
    return issue(String(verified.claims.sub));
  };

  const answerToken = async (req: IncomingMessage, text: string): Promise<Answer> => {
    if (req.method !== 'POST') return refuse(405, 'invalid_request', 'POST only');
    if (!/^application\/x-www-form-urlencoded\b/.test(req.headers['content-type'] ?? ''))
      return refuse(400, 'invalid_request', 'the body must be a form');
    const form = new URLSearchParams(text);
    const authenticated = await authenticateClient(form, req);
    if (typeof authenticated === 'object') return authenticated;
    const grantType = form.get('grant_type');
    const answer =
      grantType === exchangeGrant
        ? await tokenExchange(form)
        : grantType === jwtBearerGrant
          ? await jwtBearer(form)
          : refuse(400, 'unsupported_grant_type', String(grantType));
    return { ...answer, entry: { ...answer.entry, clientId: authenticated } };
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', origin).pathname;
      if (path === '/token') {
        answerToken(req, Buffer.concat(chunks).toString('utf8')).then((answer) => {
          log.push({
            grantType: new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get(
              'grant_type',
            ),
            status: answer.status,
            ...answer.entry,
          });
          res.writeHead(answer.status, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
          });
          res.end(JSON.stringify(answer.body));
        });
        return;
      }
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const subject = token === undefined ? undefined : issued.get(token);
      if (subject === undefined) {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ path, subject }));
    });
  });

  return {
    tokenUrl,
    apiUrl: `${origin}/api`,
    upstream,
    client,
    jwtType: `${tokenTypePrefix}jwt`,
    log,
    close: () => closeLoopback(server),
  };
}
