// One process of a fleet, for the fleet tests: a Redis client (node-redis 6 or 5, ioredis 6 or 5;
// single node, or cluster when `clusterUrls` is set), a RedisTokenStore from the built dist, and
// token managers from core's dist: one for the fleet's client, or one per tenant when `tenants`
// is set (tenant-<i> / secret-<i>, sharing the store). The parent drives it over IPC:
// { id, type: 'burst' | 'tenants-burst' | 'redis-ready' | 'close', ... } -> { id, ...result }.
// Not part of the build; plain JavaScript so that `node` runs it as is.
import { clientCredentials, createTokenManager, refreshToken } from '@tokenwise/core';
import { RedisTokenStore } from '../../dist/index.js';

const config = JSON.parse(process.env.FLEET_MEMBER ?? '{}');
const redis = await connectRedis();
const { client } = redis;

const storeErrors = [];
const store = new RedisTokenStore({
  client,
  prefix: config.prefix,
  timeoutMs: config.timeoutMs,
  ...(config.encryptionKey && { encryptionKey: Buffer.from(config.encryptionKey, 'base64') }),
});
const managerOptions = {
  store,
  lockTtlMs: config.lockTtlMs,
  storeTimeoutMs: config.storeTimeoutMs,
  // Tells the token server which member sent a request (a flow header would change the cache key).
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-fleet-member', config.member);
    return fetch(input, { ...init, headers });
  },
  onError: (error) => storeErrors.push(error.code ?? error.name),
};
const flow =
  config.flow === 'refresh_token'
    ? refreshToken({
        tokenUrl: config.tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        refreshToken: config.refreshToken,
        subject: 'user-1',
      })
    : clientCredentials({
        tokenUrl: config.tokenUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
      });
const tokens = createTokenManager({ flow, ...managerOptions });
// One manager per tenant, each with its own client credentials (sent in the body, so the token
// server's recorded requests name the tenant in `client_id`).
const tenants = Array.from({ length: config.tenants ?? 0 }, (_, index) =>
  createTokenManager({
    flow: clientCredentials({
      tokenUrl: config.tokenUrl,
      clientId: `tenant-${index}`,
      clientSecret: `secret-${index}`,
      clientAuth: 'client_secret_post',
    }),
    ...managerOptions,
  }),
);

/** Connects the client the parent asked for; `ready()` tells whether it is connected now. */
async function connectRedis() {
  const library = await import(config.redisModule);
  if (config.redisModule.startsWith('ioredis')) {
    const { Redis, Cluster } = library;
    // Reconnect quickly after a Redis restart.
    const client = config.clusterUrls
      ? new Cluster(config.clusterUrls.map(hostPort), { lazyConnect: true })
      : new Redis(config.redisUrl, { lazyConnect: true, retryStrategy: () => 50 });
    client.on('error', () => {}); // ioredis reconnects by itself
    await client.connect();
    return { client, ready: () => client.status === 'ready', close: () => client.quit() };
  }
  const { createClient, createCluster } = library;
  const client = config.clusterUrls
    ? createCluster({ rootNodes: config.clusterUrls.map((url) => ({ url })) })
    : // Reconnect quickly after a Redis restart; the default backs off to 2 s.
      createClient({ url: config.redisUrl, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {}); // node-redis reconnects by itself; an unheard 'error' would crash us
  await client.connect();
  return { client, ready: () => client.isReady, close: () => client.close() };
}

function hostPort(url) {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: Number(port) };
}

/** `n` concurrent getToken() calls on `manager`, settled. */
async function calls(manager, n, forceRefresh) {
  const settled = await Promise.allSettled(
    Array.from({ length: n }, () => manager.getToken({ forceRefresh })),
  );
  return {
    ok: settled.filter((result) => result.status === 'fulfilled').map((r) => r.value),
    failures: settled
      .filter((result) => result.status === 'rejected')
      .map((result) => String(result.reason?.code ?? result.reason)),
  };
}

const handlers = {
  async burst({ n, forceRefresh = false }) {
    const { ok, failures } = await calls(tokens, n, forceRefresh);
    return {
      accessTokens: [...new Set(ok.map((token) => token.accessToken))],
      refreshTokens: [...new Set(ok.map((token) => token.refreshToken))],
      expiresAt: Math.max(...ok.map((token) => token.expiresAt ?? 0)),
      fulfilled: ok.length,
      failures,
      storeErrors: storeErrors.splice(0),
    };
  },
  // Every tenant at once, `n` concurrent calls each.
  async 'tenants-burst'({ n }) {
    const results = await Promise.all(tenants.map((manager) => calls(manager, n, false)));
    return {
      accessTokens: results.map(({ ok }) => [...new Set(ok.map((token) => token.accessToken))]),
      expiresAt: Math.max(...results.flatMap(({ ok }) => ok.map((token) => token.expiresAt ?? 0))),
      fulfilled: results.reduce((sum, { ok }) => sum + ok.length, 0),
      failures: results.flatMap(({ failures }) => failures),
      storeErrors: storeErrors.splice(0),
    };
  },
  async 'redis-ready'() {
    while (!redis.ready()) await new Promise((resolve) => setTimeout(resolve, 10));
    await client.ping?.();
    return {};
  },
  async close() {
    await Promise.all([tokens, ...tenants].map((manager) => manager.close()));
    await redis.close();
    return {};
  },
};

process.on('message', async (message) => {
  const reply = await handlers[message.type](message).catch((error) => ({ error: String(error) }));
  process.send?.({ id: message.id, ...reply });
  if (message.type === 'close') process.disconnect();
});
process.send?.({ id: 0, ready: true });
