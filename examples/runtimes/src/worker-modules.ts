/**
 * The modules of the workerd test's Worker, as miniflare takes them: `worker.js` (or the
 * `worker` given) with `scenarios.js` and `client-assertions.js`, a `config.js` the test writes,
 * and the built `dist` of @tokenwise/core and
 * @tokenwise/ky-auth and ky's, each under its package name.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where the worker's modules find each package: workerd resolves a name from a nested module relative to it. */
const entries: Record<string, string> = {
  '@tokenwise/core': '/@tokenwise/core/dist/index.js',
  '@tokenwise/core/adapter': '/@tokenwise/core/dist/adapter.js',
  '@tokenwise/ky-auth': '/@tokenwise/ky-auth/dist/index.js',
  ky: '/ky/distribution/index.js',
};

/** `from '@tokenwise/core'` in a package's module becomes `from '/@tokenwise/core/dist/index.js'`. */
function rebase(code: string): string {
  return code.replace(/(from\s*|import\s*\(\s*)(['"])([^'"]+)\2/g, (whole, head, quote, name) =>
    entries[name] === undefined ? whole : `${head}${quote}${entries[name]}${quote}`,
  );
}

/**
 * The Worker's modules: its own, `config.js` exporting each field of `config` as a constant, the
 * packages' built modules, and one-line modules that map the bare names onto them.
 *
 * @example
 * new Miniflare({ modules: workerModules({ prefix: 'workerd' }), modulesRoot: '/', compatibilityDate: '2025-09-01' });
 */
export function workerModules(config: Record<string, unknown>, worker = 'worker.js') {
  const modules: { type: 'ESModule'; path: string; contents: string }[] = [];
  const add = (name: string, dir: string): void => {
    const real = realpathSync(join(root, 'node_modules', name, dir));
    for (const file of readdirSync(real, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      modules.push({
        type: 'ESModule',
        path: `/${name}/${dir}/${file}`,
        contents: rebase(readFileSync(join(real, file), 'utf8')),
      });
    }
  };
  const source = (file: string): string => readFileSync(join(root, 'src', file), 'utf8');
  modules.push({ type: 'ESModule', path: `/${worker}`, contents: source(worker) });
  for (const file of ['scenarios.js', 'client-assertions.js'])
    modules.push({ type: 'ESModule', path: `/${file}`, contents: source(file) });
  modules.push({
    type: 'ESModule',
    path: '/config.js',
    contents: Object.entries(config)
      .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
      .join(' '),
  });
  add('@tokenwise/core', 'dist');
  add('@tokenwise/ky-auth', 'dist');
  add('ky', 'distribution');
  const alias = (name: string, target: string, withDefault = false): void => {
    const exports = `export * from '${target}';${withDefault ? ` export { default } from '${target}';` : ''}`;
    modules.push({ type: 'ESModule', path: `/${name}`, contents: exports });
  };
  for (const [name, target] of Object.entries(entries)) alias(name, target, name === 'ky');
  return modules;
}
