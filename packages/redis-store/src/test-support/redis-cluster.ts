/**
 * A throwaway 3-node Redis Cluster on free loopback ports, for tests: three `redis-server
 * --cluster-enabled yes` processes (config files in a temp dir), joined by `redis-cli --cluster
 * create` with no replicas, ready once every node reports `cluster_state:ok`. `stop()` (or
 * `stopAllRedisServers()`) kills them; the temp dir is removed.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, kill, launchOnFreePort } from './redis-server.ts';

/**
 * A running cluster.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const client = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
 * ```
 */
export interface RedisCluster {
  /** The three nodes' ports (each also uses port + 10000 for the cluster bus). */
  readonly ports: readonly number[];
  /** `redis://127.0.0.1:<port>` of each node. */
  readonly urls: readonly string[];
  /** Kills the nodes and removes their config files. */
  stop(): Promise<void>;
}

const cli = process.env.REDIS_CLI ?? 'redis-cli';
const run = promisify(execFile);

/**
 * Starts `size` cluster-mode nodes and joins them into one cluster (slots 0-16383 spread).
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * try { await use(cluster.urls); } finally { await cluster.stop(); }
 * ```
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenwise-redis-cluster-'));
  const nodes: ChildProcess[] = [];
  const ports: number[] = [];
  try {
    while (ports.length < size) {
      const { port, child } = await launchOnFreePort(clusterPort, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${ports.length}.conf`),
        '--dir',
        dir,
      ]);
      nodes.push(child);
      ports.push(port);
    }
    await redisCli([
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) await untilClusterOk(port);
  } catch (error) {
    await stopNodes(nodes, dir);
    throw error;
  }
  return {
    ports,
    urls: ports.map((port) => `redis://127.0.0.1:${port}`),
    stop: () => stopNodes(nodes, dir),
  };
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && (await isFree(port + 10_000))) return port;
  }
}

async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  const free = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

async function redisCli(args: string[]): Promise<string> {
  try {
    return (await run(cli, args, { timeout: 30_000 })).stdout;
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    throw new Error(
      missing
        ? `cannot run ${cli} (set REDIS_CLI, or run scripts/ensure-redis.sh: Debian package redis-tools)`
        : `${cli} ${args.join(' ')} failed`,
      { cause: error },
    );
  }
}

/** Waits (up to 20 s) until the node at `port` sees every slot covered: `cluster_state:ok`. */
async function untilClusterOk(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = await redisCli(['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info']);
    if (info.includes('cluster_state:ok')) return;
    if (Date.now() > deadline)
      throw new Error(`cluster node ${port} never reached cluster_state:ok`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopNodes(nodes: ChildProcess[], dir: string): Promise<void> {
  await Promise.all(nodes.map(kill));
  await rm(dir, { recursive: true, force: true });
}
