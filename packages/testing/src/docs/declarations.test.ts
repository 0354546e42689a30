/**
 * The published declarations type-check in a plain Node project: `lib: ES2023` and
 * `@types/node`, no DOM lib, `skipLibCheck: false`. A type only the DOM lib has (`RequestInfo`,
 * the global `CryptoKey` type) in one of our `.d.ts` files breaks every such user's build.
 * Errors inside the HTTP clients' own declarations (got, redis, …) are theirs, not ours.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const testingDir = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokenwise-declarations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every public entry point of every published package. */
const entryPoints = [
  '@tokenwise/core',
  '@tokenwise/core/adapter',
  '@tokenwise/axios-auth',
  '@tokenwise/got-auth',
  '@tokenwise/ky-auth',
  '@tokenwise/redis-store',
  '@tokenwise/msw',
];

test('every entry point type-checks without the DOM lib and without skipLibCheck', async () => {
  const source = entryPoints.map((entry, i) => `import * as entry${i} from '${entry}';`);
  source.push(`console.log(${entryPoints.map((_, i) => `entry${i}`).join(', ')});`);
  writeFileSync(join(testingDir, '.declarations-check.ts'), `${source.join('\n')}\n`);
  const config = join(dir, 'tsconfig.json');
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        skipLibCheck: false,
        noEmit: true,
      },
      files: [join(testingDir, '.declarations-check.ts')],
    }),
  );
  const output = await promisify(execFile)(
    join(root, 'node_modules/.bin/tsc'),
    ['-p', config, '--pretty', 'false'],
    { cwd: testingDir },
  ).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  rmSync(join(testingDir, '.declarations-check.ts'), { force: true });
  const ours = output
    .split('\n')
    .filter((line) => /error TS/.test(line))
    .filter((line) =>
      /(^|[\\/])(core|axios-auth|got-auth|ky-auth|redis-store|msw)[\\/]dist[\\/]|\.declarations-check\.ts/.test(
        line,
      ),
    );
  expect(ours, ours.join('\n')).toEqual([]);
}, 60_000);
