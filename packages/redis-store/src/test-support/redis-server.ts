/**
 * A throwaway `redis-server` on a free loopback port, for tests: no persistence, bound to
 * 127.0.0.1, stopped by `stop()` (or `stopAllRedisServers()` in an `afterAll`). It can be stopped
 * and started again on the same port to simulate a Redis restart.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Starts the server again on the same port (after `stop()`), empty. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL: a crash, nothing saved) and waits for it to exit. */
  stop(): Promise<void>;
}

const binary = process.env.REDIS_SERVER ?? 'redis-server';
const running = new Set<ChildProcess>();

/** Stops every server still running (for an `afterAll`). */
export async function stopAllRedisServers(): Promise<void> {
  await Promise.all([...running].map(kill));
}

/** Starts `redis-server` on a free port of 127.0.0.1 (`--port 0` is not supported by Redis). */
export async function startRedisServer(): Promise<RedisServer> {
  const { port, child } = await launchOnFreePort(freePort);
  let current: ChildProcess | undefined = child;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (current) throw new Error('redis-server is already running');
      current = await launch(port);
    },
    async stop() {
      const stopping = current;
      current = undefined;
      if (stopping) await kill(stopping);
    },
  };
}

/**
 * Launches `redis-server` (with `extraArgs`) on a port `pickPort` finds free. Another process may
 * take the port between the probe and the bind: then another port, at most 5 times, and the last
 * error (which says how to point the tests at a `redis-server`) is thrown.
 */
export async function launchOnFreePort(
  pickPort: () => Promise<number>,
  extraArgs: readonly string[] = [],
): Promise<{ port: number; child: ChildProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await pickPort();
    try {
      return { port, child: await launch(port, extraArgs) };
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

/** A port of 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/**
 * Starts `redis-server` on `port` with `extraArgs` (e.g. cluster mode), resolves once it accepts
 * connections; `stopAllRedisServers()` stops it too.
 */
export function launch(port: number, extraArgs: readonly string[] = []): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'notice',
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.once('error', (error) => {
      reject(
        new Error(`cannot start ${binary} (set REDIS_SERVER, or run scripts/ensure-redis.sh)`, {
          cause: error,
        }),
      );
    });
    child.once('exit', (code) => {
      reject(new Error(`${binary} exited with ${String(code)} on port ${port}:\n${output}`));
    });
  });
}

/** Stops a `redis-server` this module launched (at once: test data only). */
export function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
