/**
 * Starts a fleet of `node` processes (fleet-member.mjs), each with its own Redis client,
 * RedisTokenStore and token manager (and one manager per tenant when asked), all on the same
 * Redis (one server or one cluster) and token endpoint (the test kit's loopback server, whose
 * default client they authenticate as). Members take turns among the client libraries given
 * (default: redis 6 and redis 5), so every fleet test also checks that they read each other's keys.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clientId, clientSecret } from '@tokenwise/test-kit';

/** The client libraries a member can use: node-redis 6 and 5, ioredis 6 and 5. */
export type RedisModule = 'redis' | 'redis5' | 'ioredis' | 'ioredis5';

export interface FleetConfig {
  readonly redisUrl: string;
  /** Every node of a cluster: members then connect a cluster client (`redisUrl` is ignored). */
  readonly clusterUrls?: readonly string[];
  /** Members take turns among these. @default ['redis', 'redis5'] */
  readonly redisModules?: readonly RedisModule[];
  /** Tenants `tenant-0`… (secrets `secret-0`…), a token manager each in every member. */
  readonly tenants?: number;
  readonly tokenUrl: string;
  readonly flow?: 'client_credentials' | 'refresh_token';
  /** The initial refresh token of the refresh_token flow. */
  readonly refreshToken?: string;
  readonly prefix?: string;
  /** Base64 of a raw AES key. */
  readonly encryptionKey?: string;
  readonly lockTtlMs?: number;
  /** The store's `timeoutMs`. */
  readonly timeoutMs?: number;
  /** The manager's `storeTimeoutMs`. */
  readonly storeTimeoutMs?: number;
}

/** What one member reports after `n` concurrent `getToken()` calls. */
export interface BurstResult {
  readonly member: string;
  /** Distinct access tokens the calls resolved to. */
  readonly accessTokens: string[];
  readonly refreshTokens: (string | undefined)[];
  /** The latest `expiresAt` among them. */
  readonly expiresAt: number;
  readonly fulfilled: number;
  /** Codes (or messages) of the calls that rejected. */
  readonly failures: string[];
  /** What the manager reported to `onError` since the last burst (store failures). */
  readonly storeErrors: string[];
}

/** What one member reports after `n` concurrent `getToken()` calls for every tenant at once. */
export interface TenantsBurstResult {
  readonly member: string;
  /** Per tenant (by index), the distinct access tokens its calls resolved to. */
  readonly accessTokens: string[][];
  /** The latest `expiresAt` among them. */
  readonly expiresAt: number;
  readonly fulfilled: number;
  readonly failures: string[];
  readonly storeErrors: string[];
}

export interface FleetMember {
  /** `m0`, `m1`…: sent as the `x-fleet-member` header of its token requests. */
  readonly id: string;
  readonly redisModule: RedisModule;
  burst(n: number, options?: { forceRefresh?: boolean }): Promise<BurstResult>;
  tenantsBurst(n: number): Promise<TenantsBurstResult>;
  /** Resolves once this member's Redis client is connected (again). */
  redisReady(): Promise<void>;
  /** SIGKILLs the process and waits for it to die. */
  kill(): Promise<void>;
}

export interface Fleet {
  readonly members: FleetMember[];
  /** Every live member runs `n` concurrent `getToken()` calls at once. */
  burst(n: number, options?: { forceRefresh?: boolean }): Promise<BurstResult[]>;
  /** Every live member runs `n` concurrent `getToken()` calls for every tenant, all at once. */
  tenantsBurst(n: number): Promise<TenantsBurstResult[]>;
  /** Closes every member (or kills it, if it does not answer). */
  close(): Promise<void>;
}

const script = fileURLToPath(new URL('./fleet-member.mjs', import.meta.url));
const live = new Set<ChildProcess>();

/** Kills every member process still running (for an `afterAll`). */
export async function killAllFleets(): Promise<void> {
  await Promise.all([...live].map(killProcess));
}

export async function startFleet(size: number, config: FleetConfig): Promise<Fleet> {
  const modules = config.redisModules ?? ['redis', 'redis5'];
  const members = await Promise.all(
    Array.from({ length: size }, (_, index) =>
      startMember(`m${index}`, modules[index % modules.length] ?? 'redis', config),
    ),
  );
  const alive = (): RunningMember[] => members.filter((member) => !member.dead);
  return {
    members,
    burst: (n, options) => Promise.all(alive().map((member) => member.burst(n, options))),
    tenantsBurst: (n) => Promise.all(alive().map((member) => member.tenantsBurst(n))),
    async close() {
      await Promise.all(alive().map((member) => member.close()));
    },
  };
}

interface RunningMember extends FleetMember {
  dead: boolean;
  close(): Promise<void>;
}

async function startMember(
  id: string,
  redisModule: RedisModule,
  config: FleetConfig,
): Promise<RunningMember> {
  const child = fork(script, [], {
    env: {
      ...process.env,
      FLEET_MEMBER: JSON.stringify({ ...config, clientId, clientSecret, member: id, redisModule }),
    },
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  child.on('message', (message: { id: number; error?: string }) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${id}: ${message.error}`));
    else waiter.resolve(message as never);
  });
  child.once('exit', (code, signal) => {
    exited = true;
    live.delete(child);
    for (const waiter of pending.values())
      waiter.reject(new Error(`${id} exited (${String(code ?? signal)})`));
    pending.clear();
  });
  const request = <T>(type: string, body: object = {}, messageId = nextId++): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) {
        reject(new Error(`${id} is not running`));
        return;
      }
      pending.set(messageId, { resolve: resolve as (v: never) => void, reject });
      if (messageId !== 0) child.send({ id: messageId, type, ...body });
    });
  await request('ready', {}, 0);
  const member: RunningMember = {
    id,
    redisModule,
    dead: false,
    burst: (n: number, options: { forceRefresh?: boolean } = {}) =>
      request<Omit<BurstResult, 'member'>>('burst', { n, ...options }).then((result) => ({
        member: id,
        ...result,
      })),
    tenantsBurst: (n: number) =>
      request<Omit<TenantsBurstResult, 'member'>>('tenants-burst', { n }).then((result) => ({
        member: id,
        ...result,
      })),
    redisReady: () => request<void>('redis-ready'),
    async kill() {
      member.dead = true;
      await killProcess(child);
    },
    async close() {
      member.dead = true;
      await request('close').catch(() => {});
      await exitOrKill(child);
    },
  };
  return member;
}

/** Gives a closing member a moment to exit by itself (nothing left running), then kills it. */
async function exitOrKill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    new Promise((resolve) => child.once('exit', resolve)),
    new Promise((resolve) => {
      timer = setTimeout(resolve, 2_000);
    }),
  ]);
  clearTimeout(timer);
  await killProcess(child);
}

function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
