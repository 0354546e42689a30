/**
 * The token servers the runtime programs (`scenarios.js`, run by Deno, Bun and workerd) reach by
 * URL: two of the kit's loopback servers, each a token endpoint at `/token` and an API.
 * - `standard` answers 1-hour tokens after 50 ms, so concurrent cold-start callers overlap.
 * - `shortLived` answers 2-second tokens after 300 ms, so a caller that waits for a renewal shows
 *   it. Its mock's clock runs 1,800 times faster than the wall clock: the mock's 1-hour tokens are
 *   refused by its API 2 real seconds after they were issued, as their `expires_in: 2` says
 *   (its `Date` header runs ahead too, which tokenwise ignores when `expires_in` is given).
 *
 * - `bound` answers DPoP tokens (RFC 9449); its API path `/api/<client id>/dpop` takes them only
 *   with a proof that test-kit's verifier accepts, made with the key of the token request's proof.
 *
 * Every API path a program calls starts with `/api/<client id>/`, so what a server saw of one
 * client is the calls below that path. `POST /revoke?client=ID` on `standard` revokes every token
 * ID has used there.
 */
import type { ServerResponse } from 'node:http';
import { verifyDpopProof } from '@tokenwise/test-kit';
import {
  clientSecret,
  type LoopbackServer,
  type RecordedRequest,
  startServer,
} from '@tokenwise/test-kit/server';

/**
 * The secret of every client id the servers know (the programs get it from the test).
 *
 * @example
 * const env = { CLIENT_SECRET: clientSecret };
 */
export { clientSecret };

/** Lifetime of the kit mock's access tokens on its own clock, in seconds. */
const mockLifetimeSeconds = 3600;
/**
 * How long `shortLived` holds each token answer, in ms. A call that waited for a renewal took at
 * least this long; a call served from the cache cannot tell it.
 */
export const renewalAnswerDelayMs = 300;

/** Lifetime of `shortLived`'s tokens on the wall clock, in seconds. */
const shortLifetimeSeconds = 2;

/**
 * The client ids of one scenario prefix, named as `scenarios.js` and `worker.js` name them.
 *
 * @example
 * clientIds('deno-ky').cold; // 'deno-ky-cold'
 */
export function clientIds(prefix: string) {
  return {
    /** Cold start, revocation and re-send, on `standard`. */
    cold: `${prefix}-cold`,
    /** Presents the wrong secret, on `standard`. */
    bad: `${prefix}-bad`,
    /** Renewed ahead of expiry, on `shortLived`. */
    short: `short-${prefix}`,
    /** Renewed without `waitUntil` in workerd, on `shortLived`. */
    abandoned: `short-abandoned-${prefix}`,
    /** A tenant of a registry made in workerd's global scope, on `standard`. */
    tenant: `${prefix}-tenant`,
    /** A manager created with `dpop: true`, on `bound`. */
    dpop: `${prefix}-dpop`,
  };
}

/**
 * The two servers; `close()` closes both.
 *
 * @example
 * const servers = await startTokenServers(['deno-core']);
 * await servers.close();
 */
export interface TokenServers {
  readonly standard: LoopbackServer;
  readonly shortLived: LoopbackServer;
  readonly bound: LoopbackServer;
  close(): Promise<void>;
}

/**
 * Starts both servers, knowing the client ids of every prefix in `prefixes` (secret
 * {@link clientSecret}).
 *
 * @example
 * const servers = await startTokenServers(['deno-core', 'bun-core']);
 * const env = { STANDARD_ORIGIN: servers.standard.origin, SHORT_LIVED_ORIGIN: servers.shortLived.origin };
 */
export async function startTokenServers(prefixes: readonly string[]): Promise<TokenServers> {
  const ids = prefixes.map(clientIds);
  const known = (names: string[]) => Object.fromEntries(names.map((id) => [id, clientSecret]));
  const standard = await startServer({
    clients: known(ids.flatMap(({ cold, bad, tenant }) => [cold, bad, tenant])),
  });
  standard.tokenDelayMs = 50;
  standard.route('/revoke', (request, res) => {
    const client = request.url.searchParams.get('client') ?? '';
    const revoked = [...recordOf(standard, client).tokensUsed].filter((token) =>
      standard.revoke(token),
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ revoked }));
  });
  const started = Date.now();
  const speed = mockLifetimeSeconds / shortLifetimeSeconds;
  const shortLived = await startServer({
    clients: known(ids.flatMap(({ short, abandoned }) => [short, abandoned])),
    now: () => started + (Date.now() - started) * speed,
  });
  shortLived.tokenDelayMs = renewalAnswerDelayMs;
  shortLived.expiresIn = shortLifetimeSeconds;
  const bound = await startServer({ clients: known(ids.map(({ dpop }) => dpop)) });
  bound.tokenType = 'DPoP';
  for (const { dpop } of ids) bound.route(`/api/${dpop}/dpop`, dpopRoute(bound, dpop));
  return {
    standard,
    shortLived,
    bound,
    close: async () => {
      await Promise.all([standard.close(), shortLived.close(), bound.close()]);
    },
  };
}

/**
 * The API of `clientId` on `server`: 200 for a DPoP token with a proof for the request, signed
 * with the key the client's last token request proved (the token's `cnf.jkt`, which the
 * loopback server does not record itself); 401 otherwise.
 */
function dpopRoute(server: LoopbackServer, clientId: string) {
  const seenJtis = new Set<string>();
  return (request: RecordedRequest, res: ServerResponse) => {
    const ofClient = server.tokenRequests.filter((sent) => sent.params.client_id === clientId);
    const tokenProof = ofClient.at(-1)?.headers.dpop;
    const token = /^DPoP (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    try {
      const jkt = verifyDpopProof(tokenProof, {
        method: 'POST',
        url: server.tokenUrl,
        seenJtis: new Set(),
      }).jkt;
      verifyDpopProof(request.headers.dpop, {
        method: request.method,
        url: request.url.href,
        accessToken: token ?? '',
        jkt,
        seenJtis,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch (error) {
      res.writeHead(401, { 'www-authenticate': 'DPoP error="invalid_dpop_proof"' });
      res.end(JSON.stringify({ refused: String(error) }));
    }
  };
}

/**
 * What one server saw of one client id.
 *
 * @example
 * const { tokenRequests, apiCalls, tokensUsed } = recordOf(servers.standard, 'deno-ky-cold');
 */
export interface ClientRecord {
  /** Token requests naming the client (answered or refused). */
  readonly tokenRequests: number;
  /** API requests below `/api/<client id>/`, in arrival order. */
  readonly apiCalls: readonly RecordedRequest[];
  /** The distinct bearer tokens those API requests carried. */
  readonly tokensUsed: ReadonlySet<string>;
}

/**
 * What `server` saw of `clientId`.
 *
 * @example
 * expect(recordOf(servers.standard, 'deno-ky-cold').tokenRequests).toBe(2);
 */
export function recordOf(server: LoopbackServer, clientId: string): ClientRecord {
  const apiCalls = server.apiCalls.filter((call) => call.path.startsWith(`/api/${clientId}/`));
  const bearer = (call: RecordedRequest) => /^Bearer (.+)$/.exec(call.headers.authorization ?? '');
  return {
    tokenRequests: server.oauth.tokenRequests.filter((request) => request.clientId === clientId)
      .length,
    apiCalls,
    tokensUsed: new Set(apiCalls.flatMap((call) => bearer(call)?.[1] ?? [])),
  };
}
