// The Cloudflare Worker of the workerd test: every manager is created in global scope, as a
// Worker naturally does, and serves every request of the isolate. `./config.js` (written by the
// test) gives the token servers (`{ standard, shortLived, secret }`) and the client ids' prefix.

import { waitUntil } from 'cloudflare:workers';
import { createAuthFetch, createTokenRegistry } from '@tokenwise/core';
import { prefix, servers } from './config.js';
import { apiUrl, clients, countingStore, describeError, manager } from './scenarios.js';

const { standard, shortLived, bound, secret } = servers;
/** The stores of the `cold` managers, by client: `/store-writes?client=…` tells what they got. */
const coldStores = {};
/** Where each kind of manager gets its tokens, as which client, with which manager options. */
const managers = {
  // Renewed ahead of expiry; `waitUntil` lets a renewal outlive the request that started it.
  short: (kind) => ({
    origin: shortLived,
    clientId: `short-${prefix}-${kind}`,
    secret,
    options: { waitUntil },
  }),
  // The same without `waitUntil`: the renewal dies with its request, and is abandoned after its deadline.
  abandoned: (kind) => ({
    origin: shortLived,
    clientId: `short-abandoned-${prefix}-${kind}`,
    secret,
    options: { timeoutMs: 1_000, storeTimeoutMs: 100 },
  }),
  // Through a shared store: its code loads with the first store operation, in a request.
  cold: (kind) => {
    coldStores[kind] = countingStore();
    return {
      origin: standard,
      clientId: `${prefix}-${kind}-cold`,
      secret,
      options: { store: coldStores[kind] },
    };
  },
  bad: (kind) => ({ origin: standard, clientId: `${prefix}-${kind}-bad`, secret: 'wrong-secret' }),
  // DPoP: created in global scope too, which must do no crypto work (the key is made on first use).
  dpop: (kind) => ({
    origin: bound,
    clientId: `${prefix}-${kind}-dpop`,
    secret,
    options: { dpop: true },
  }),
};

const senders = {};
for (const [kind, client] of Object.entries(clients)) {
  for (const [name, where] of Object.entries(managers)) {
    const settings = where(kind);
    // Managers and clients alike are made in global scope, as a Worker would.
    const send = client(manager(settings));
    senders[`${kind}:${name}`] = () => send(apiUrl(settings.origin, settings.clientId, name));
  }
}

// A registry of managers per tenant, in global scope too (creating it starts no timer), and a
// fetch that picks each request's tenant from its URL (`/api/<client id>/…`).
const tenants = createTokenRegistry({
  create: (clientId) => manager({ origin: standard, clientId, secret }),
});
const tenantFetch = createAuthFetch({
  tokens: ({ url }) => tenants.get(new URL(url).pathname.split('/')[2]),
});
senders['fetch:tenant'] = async () => {
  const response = await tenantFetch(apiUrl(standard, `${prefix}-fetch-tenant`, 'tenant'));
  await response.body?.cancel();
  return response.status;
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/store-writes')
      return Response.json({ writes: coldStores[url.searchParams.get('client')]?.writes });
    const send = senders[`${url.searchParams.get('client')}:${url.searchParams.get('manager')}`];
    if (send === undefined) return new Response('unknown client or manager', { status: 404 });
    try {
      return Response.json({ status: await send() });
    } catch (error) {
      return Response.json({ error: describeError(error) });
    }
  },
};
