// One cell of the matrix: a package's README followed by a user of one package manager, in a
// fresh project outside the repository. Install exactly the README's install line; type-check
// the README's first example (strict, nodenext) and run it against a token server and API of its
// own (the test kit's loopback server) and Redis; then check what the server saw and how many
// copies of @tokenwise/core the manager installed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientSecret, startServer } from '../../packages/test-kit/src/server.ts';
import { coreCopies } from './core-copies.mjs';
import { exec } from './exec.mjs';
import { localize, readmeExample } from './readme-example.mjs';

/**
 * Strict, nodenext, Node's types: a Node project's settings. Library declarations are skipped as
 * `tsc --init` does (the example is under test, not every .d.ts of got or redis).
 */
const tsconfig = (typeRoots) => ({
  compilerOptions: {
    target: 'es2023',
    lib: ['es2023'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    ...(typeRoots ? { typeRoots } : {}),
  },
  files: ['example.ts'],
});

/**
 * What the token server and API must have seen of the example: one token request, and API
 * requests (at least one when the example calls the API) that all carry the token it issued.
 */
async function serverSawExample(server, callsApi) {
  const { length } = server.tokenRequests;
  if (length !== 1) return `the token server got ${length} token requests, expected 1`;
  const live = await Promise.all(server.apiCalls.map((call) => server.authorized(call)));
  const refused = live.filter((ok) => !ok).length;
  if (refused !== 0) return `the API refused ${refused} requests (no live token)`;
  if (callsApi && live.length < 1) return 'the API got no request';
  return undefined;
}

/**
 * Runs the trial of the package in `packages/<dir>` with `manager`. Resolves to `{ step, error?,
 * copies? }`: `step` is the last step reached ('install', 'typecheck', 'run', 'copies' or 'ok'),
 * `error` why it stopped there, `copies` the number of @tokenwise/core copies once installed.
 *
 * @example
 * const result = await runTrial({ root, dir: 'ky-auth', manager, workDir, registry, redisUrl, env, cache });
 * // { step: 'ok', copies: 1 }
 */
export async function runTrial({ root, dir, manager, workDir, registry, redisUrl, env, cache }) {
  const readme = join('packages', dir, 'README.md');
  const { install, example } = readmeExample(join(root, readme));
  const clientId = `${dir}-${manager.name.split(' ')[0]}`;
  const project = join(workDir, clientId);
  const log = join(workDir, `${clientId}.log`);
  mkdirSync(project, { recursive: true });
  const manifest = { name: `rehearsal-${clientId}`, private: true, type: 'module' };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  manager.setup(project, { registry: registry.url, cache });
  const run = ([command, args], timeoutMs, extraEnv = {}) =>
    exec(command, args, { cwd: project, env: { ...env, ...extraEnv }, log, timeoutMs });
  let step = 'install';
  let copies;
  const server = await startServer({ clients: { [clientId]: clientSecret } });
  try {
    await run(manager.add(install.packages, { dev: install.dev }), 240_000);
    if (manager.typescript.length > 0) await run(manager.add(manager.typescript, { dev: true }));
    copies = coreCopies(project);
    const api = server.url('/api');
    const code = localize(example.code, { tokenUrl: server.tokenUrl, api });
    writeFileSync(join(project, 'example.ts'), code);
    const typeRoots =
      manager.typescript.length > 0 ? undefined : [join(root, 'node_modules/@types')];
    writeFileSync(
      join(project, 'tsconfig.json'),
      `${JSON.stringify(tsconfig(typeRoots), null, 2)}\n`,
    );
    step = 'typecheck';
    await run(manager.typecheck, 120_000);
    step = 'run';
    const secrets = { CLIENT_ID: clientId, CLIENT_SECRET: clientSecret };
    await run(manager.run('example.ts'), 30_000, { ...secrets, REDIS_URL: redisUrl });
    const unexpected = await serverSawExample(server, code.includes(api));
    if (unexpected) return { step, error: `${readme}:${example.line}: ${unexpected}`, copies, log };
    step = 'copies';
    if (copies !== 1) return { step, error: `${copies} copies of @tokenwise/core`, copies, log };
    return { step: 'ok', copies, log };
  } catch (error) {
    return { step, error: error.message, copies, log };
  } finally {
    await server.close();
  }
}
