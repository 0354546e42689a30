/**
 * vitest global setup: the fleet tests run `node` processes that import the built dist of core
 * and of this package. Under turbo both are built before the tests (see turbo.json); when vitest
 * runs alone, this builds this package's dist if it is missing or older than its sources.
 *
 * Not part of the build (see tsconfig.build.json).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@tokenwise/core');
  } catch (error) {
    throw new Error(
      '@tokenwise/core has no dist: run `pnpm turbo run build --filter=./packages/*`',
      {
        cause: error,
      },
    );
  }
  const built = join(root, 'dist/index.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(root, 'src'))) return;
  // The package's own build: type-check, then bundle (scripts/build-package.mjs).
  execFileSync(process.execPath, [join(root, '../../scripts/build-package.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.includes('.test')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}
