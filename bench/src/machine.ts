import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Where and with what the figures were taken. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** ISO 8601, UTC. */
  readonly date: string;
  /** Installed versions of the measured packages, by name. */
  readonly versions: Readonly<Record<string, string>>;
}

const measured = [
  '@tokenwise/core',
  '@tokenwise/axios-auth',
  '@tokenwise/got-auth',
  '@tokenwise/ky-auth',
  '@badgateway/oauth2-client',
  'axios-auth-refresh',
  'axios-oauth-client',
  'axios',
  'got',
  'ky',
];

/**
 * Describes this machine, the Node version and the installed versions of the measured packages.
 *
 * @example
 * ```ts
 * const { cpu, cores, node } = describeMachine();
 * ```
 */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    date: new Date().toISOString(),
    versions: Object.fromEntries(measured.map((name) => [name, installedVersion(name)])),
  };
}

/** The version in the package's own package.json, as installed for the bench. */
function installedVersion(name: string): string {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}
