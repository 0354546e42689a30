import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median, percentile } from '../stats.ts';

const run = promisify(execFile);

/** Cold import times of one package, in ms. */
export interface ColdImport {
  readonly packageName: string;
  /** The median over the runs. */
  readonly medianMs: number;
  /** The middle half of the runs (25th and 75th percentiles). */
  readonly spreadMs: readonly [number, number];
  readonly runs: number;
}

/**
 * Times `await import(packageName)` in fresh Node processes started in `projectDir`, `runs` times
 * per package, the packages taking turns so that a change in the machine's speed hits them alike.
 * Each process measures its own import with `performance.now()`: module resolution, reading,
 * compiling and evaluating the package's graph, without Node's own start-up. Node's compile cache
 * and `NODE_OPTIONS` are cleared so that every run starts cold; one discarded run per package
 * first puts the files in the OS cache, as on any machine that ran the application before.
 *
 * @example
 * ```ts
 * const [core, bg] = await coldImports(project.dir, ['@tokenwise/core', '@badgateway/oauth2-client'], 40);
 * core.medianMs / bg.medianMs;
 * ```
 */
export async function coldImports(
  projectDir: string,
  packageNames: readonly string[],
  runs: number,
): Promise<ColdImport[]> {
  const times = packageNames.map(() => [] as number[]);
  for (let i = -1; i < runs; i++) {
    for (const [index, packageName] of packageNames.entries()) {
      const ms = await importOnce(projectDir, packageName);
      if (i >= 0) times[index]?.push(ms);
    }
  }
  return packageNames.map((packageName, index) => {
    const own = times[index] ?? [];
    const spreadMs = [percentile(own, 25), percentile(own, 75)] as const;
    return { packageName, medianMs: median(own), spreadMs, runs };
  });
}

async function importOnce(projectDir: string, packageName: string): Promise<number> {
  const script = `const started = performance.now();
await import(${JSON.stringify(packageName)});
process.stdout.write(String(performance.now() - started));`;
  const { NODE_COMPILE_CACHE: _cache, NODE_OPTIONS: _options, ...env } = process.env;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: projectDir,
    env,
  });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`cold import of ${packageName} printed ${stdout}`);
  return ms;
}
