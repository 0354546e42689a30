/**
 * The token server and API every runtime test talks to, on 127.0.0.1 (one server, two paths).
 * `POST /token`: client credentials (Basic or in the body) with the secret `right-secret`; a
 * client id starting with `short-` gets 2-second tokens, answered after 300 ms (a caller that
 * waits for a renewal shows it); others get 1-hour tokens after 50 ms (so concurrent cold-start
 * callers overlap). `GET /api/…` answers 200 to a live token of ours, else 401.
 * `POST /revoke?client=ID` revokes every token issued to ID.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw of one client id. */
export interface ClientRecord {
  tokenRequests: number;
  ok: number;
  unauthorized: number;
  tokensUsed: Set<string>;
}

/** A running loopback server; `close()` tears it down. */
export interface LoopbackServer {
  readonly url: string;
  readonly tokenUrl: string;
  /** The record of `clientId` (all zero if never seen). */
  record(clientId: string): ClientRecord;
  close(): Promise<void>;
}

const secret = 'right-secret';

/**
 * Starts the server on an ephemeral loopback port.
 *
 * @example
 * ```ts
 * const server = await startLoopbackServer();
 * await server.close();
 * ```
 */
export async function startLoopbackServer(): Promise<LoopbackServer> {
  const records = new Map<string, ClientRecord>();
  const issued = new Map<string, { clientId: string; expiresAt: number; revoked: boolean }>();
  const record = (clientId: string): ClientRecord => {
    let entry = records.get(clientId);
    if (!entry) {
      entry = { tokenRequests: 0, ok: 0, unauthorized: 0, tokensUsed: new Set() };
      records.set(clientId, entry);
    }
    return entry;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/token') {
      void readBody(req).then((text) => {
        const form = new URLSearchParams(text);
        const [basicId, basicSecret] = basic(req.headers.authorization);
        const clientId = basicId ?? form.get('client_id') ?? '';
        const given = basicSecret ?? form.get('client_secret');
        const entry = record(clientId);
        entry.tokenRequests++;
        const short = clientId.startsWith('short-');
        setTimeout(
          () => {
            if (form.get('grant_type') !== 'client_credentials' || given !== secret) {
              json(401, {
                error: 'invalid_client',
                error_description: 'Client authentication failed',
              });
              return;
            }
            const lifetime = short ? 2 : 3600;
            const accessToken = `${clientId}.${entry.tokenRequests}.${Math.random().toString(36).slice(2)}`;
            issued.set(accessToken, {
              clientId,
              expiresAt: Date.now() + lifetime * 1000,
              revoked: false,
            });
            json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime });
          },
          short ? 300 : 50,
        );
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/revoke') {
      const clientId = url.searchParams.get('client');
      for (const token of issued.values()) if (token.clientId === clientId) token.revoked = true;
      json(200, { revoked: clientId });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const accessToken = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const token = issued.get(accessToken);
      if (token === undefined) {
        json(401, { error: 'unknown token' });
        return;
      }
      const entry = record(token.clientId);
      if (token.revoked || Date.now() >= token.expiresAt) {
        entry.unauthorized++;
        res.setHeader('www-authenticate', 'Bearer error="invalid_token"');
        json(401, { error: 'invalid_token' });
        return;
      }
      entry.ok++;
      entry.tokensUsed.add(accessToken);
      json(200, { ok: true });
      return;
    }
    json(404, { error: 'not found' });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/token`,
    record,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function basic(header: string | undefined): [string | undefined, string | undefined] {
  const encoded = /^Basic (.+)$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return [undefined, undefined];
  const [id, ...rest] = Buffer.from(encoded, 'base64').toString().split(':');
  return [decodeURIComponent(id ?? ''), decodeURIComponent(rest.join(':'))];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
