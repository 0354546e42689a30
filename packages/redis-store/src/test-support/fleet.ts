/**
 * Starts a fleet of `node` processes (fleet-member.mjs), each with its own node-redis client,
 * RedisTokenStore and token manager, all on the same Redis and token endpoint (the test kit's
 * loopback server, whose default client they authenticate as). Members alternate between redis 6
 * and redis 5, so every fleet test also checks that both read each other's keys.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clientId, clientSecret } from '@tokenwise/test-kit';

export interface FleetConfig {
  readonly redisUrl: string;
  readonly tokenUrl: string;
  readonly flow?: 'client_credentials' | 'refresh_token';
  /** The initial refresh token of the refresh_token flow. */
  readonly refreshToken?: string;
  readonly prefix?: string;
  /** Base64 of a raw AES key. */
  readonly encryptionKey?: string;
  readonly lockTtlMs?: number;
  readonly timeoutMs?: number;
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

export interface FleetMember {
  /** `m0`, `m1`…: sent as the `x-fleet-member` header of its token requests. */
  readonly id: string;
  readonly redisModule: 'redis' | 'redis5';
  burst(n: number, options?: { forceRefresh?: boolean }): Promise<BurstResult>;
  /** Resolves once this member's Redis client is connected (again). */
  redisReady(): Promise<void>;
  /** SIGKILLs the process and waits for it to die. */
  kill(): Promise<void>;
}

export interface Fleet {
  readonly members: FleetMember[];
  /** Every live member runs `n` concurrent `getToken()` calls at once. */
  burst(n: number, options?: { forceRefresh?: boolean }): Promise<BurstResult[]>;
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
  const members = await Promise.all(
    Array.from({ length: size }, (_, index) =>
      startMember(`m${index}`, index % 2 === 0 ? 'redis' : 'redis5', config),
    ),
  );
  const alive = (): RunningMember[] => members.filter((member) => !member.dead);
  return {
    members,
    burst: (n, options) => Promise.all(alive().map((member) => member.burst(n, options))),
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
  redisModule: 'redis' | 'redis5',
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
