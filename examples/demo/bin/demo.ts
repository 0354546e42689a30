#!/usr/bin/env node
// `pnpm demo` at the workspace root. The root package.json has no `demo` script on purpose: pnpm
// runs an unknown command as `pnpm exec`, so `pnpm demo` runs this bin (the root depends on
// @tokenwise/demo) and, unlike a script, pnpm prints nothing of its own around it: no echo of the
// command line, no ELIFECYCLE line after a failure. The demo's output is all there is.
//
// It builds what the demo imports first (turbo, cached); turbo's output is shown only if the
// build fails.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const turbo = fileURLToPath(new URL('../../../node_modules/.bin/turbo', import.meta.url));
const build = spawnSync(
  turbo,
  ['run', 'build', '--filter=@tokenwise/demo...', '--output-logs=errors-only'],
  {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write(
    `demo: building the packages failed${build.error ? ` (${build.error.message})` : ''}\n`,
  );
  process.exit(1);
}
await import('../src/main.ts');
