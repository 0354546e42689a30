// The entry points of the package in the current directory, read from its package.json `exports`:
// the one list that the build (scripts/build-package.mjs) and the API reports
// (scripts/api-report.mjs) both follow, so that a new subpath export is built and reported alike.
import { existsSync, readFileSync } from 'node:fs';

/** A package.json that names its entry points in a way the build cannot follow. */
export class EntryPointError extends Error {
  name = 'EntryPointError';
}

/**
 * The package.json in the current directory, parsed.
 *
 * @example
 * ```js
 * readPackageJson().name; // '@tokenwise/core'
 * ```
 */
export function readPackageJson() {
  return JSON.parse(readFileSync('package.json', 'utf8'));
}

/**
 * One entry per subpath export but `./package.json`: its `name` (the file name in dist/ and api/),
 * the TypeScript `source` it is built from, and the `js` and `types` files it is published as.
 * Throws an {@link EntryPointError} when an export does not point at `./dist/<name>.js` and
 * `./dist/<name>.d.ts`, or when `src/<name>.ts` is missing.
 *
 * @example
 * ```js
 * entryPoints(readPackageJson());
 * // [{ subpath: '.', name: 'index', source: 'src/index.ts',
 * //    js: 'dist/index.js', types: 'dist/index.d.ts' },
 * //  { subpath: './adapter', name: 'adapter', source: 'src/adapter.ts', ... }]
 * ```
 */
export function entryPoints(pkg) {
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath === './package.json') continue;
    const js = typeof target === 'string' ? target : target.default;
    const name = /^\.\/dist\/(?<name>[\w-]+)\.js$/.exec(js ?? '')?.groups.name;
    if (name === undefined) {
      throw new EntryPointError(`exports["${subpath}"]: expected "./dist/<name>.js", got ${js}`);
    }
    const types = typeof target === 'string' ? undefined : target.types;
    if (types !== `./dist/${name}.d.ts`) {
      throw new EntryPointError(
        `exports["${subpath}"].types: expected "./dist/${name}.d.ts", got ${types}`,
      );
    }
    const source = `src/${name}.ts`;
    if (!existsSync(source)) {
      throw new EntryPointError(
        `exports["${subpath}"]: ${js} is built from ${source}, which is missing`,
      );
    }
    entries.push({ subpath, name, source, js: `dist/${name}.js`, types: `dist/${name}.d.ts` });
  }
  if (entries.length === 0) throw new EntryPointError('package.json has no subpath exports');
  return entries;
}
