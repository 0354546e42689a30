// The Cloudflare Worker of the workerd test: every manager is created in global scope, as a
// Worker naturally does, and serves every request of the isolate. `./config.js` (written by the
// test) gives the loopback URLs.
import { waitUntil } from 'cloudflare:workers';
import { apiUrl, prefix, tokenUrl } from './config.js';
import { clients, describeError, manager } from './scenarios.js';

const managers = {
  // Renewed ahead of expiry; `waitUntil` lets a renewal outlive the request that started it.
  short: (kind) => manager(tokenUrl, `short-${prefix}-${kind}`, { manager: { waitUntil } }),
  // The same without `waitUntil`: the renewal dies with its request, and is abandoned after its deadline.
  abandoned: (kind) =>
    manager(tokenUrl, `short-abandoned-${prefix}-${kind}`, {
      manager: { timeoutMs: 1_000, storeTimeoutMs: 100 },
    }),
  cold: (kind) => manager(tokenUrl, `${prefix}-${kind}-cold`),
  bad: (kind) => manager(tokenUrl, `${prefix}-${kind}-bad`, { secret: 'wrong-secret' }),
};

const senders = {};
for (const [kind, client] of Object.entries(clients)) {
  for (const [name, create] of Object.entries(managers)) {
    const tokens = create(kind);
    // Managers and clients alike are made in global scope, as a Worker would.
    senders[`${kind}:${name}`] = client(tokens);
  }
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const send = senders[`${url.searchParams.get('client')}:${url.searchParams.get('manager')}`];
    if (send === undefined) return new Response('unknown client or manager', { status: 404 });
    try {
      return Response.json({
        status: await send(`${apiUrl}/api/${url.searchParams.get('manager')}`),
      });
    } catch (error) {
      return Response.json({ error: describeError(error) });
    }
  },
};
