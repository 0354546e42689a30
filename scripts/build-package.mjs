#!/usr/bin/env node
// Builds the package in the current directory into dist/: each entry point of its package.json
// `exports` becomes one bundled ES module (`./dist/adapter.js` is built from `src/adapter.ts`),
// with one bundled declaration file beside it and a source map that carries its sources.
//
// Code that two entry points share goes into one shared chunk (dist/shared.js, with
// dist/shared.d.ts), never into both: a class or a module-level WeakMap must exist once, or
// `instanceof` and brand checks fail across entry points. Everything the package depends on
// (dependencies, peerDependencies, node: builtins) stays an import. Declarations come from
// rolldown-plugin-dts, which generates them with oxc: every tsconfig.build.json sets
// isolatedDeclarations. oxc accepts some code that tsc rejects under that option, so each
// package's `build` script runs `tsc -p tsconfig.build.json --noEmit` first.
//
// Usage, from a package folder: node ../../scripts/build-package.mjs
import { rmSync } from 'node:fs';
import { build } from 'rolldown';
import { dts } from 'rolldown-plugin-dts';
import { entryPoints, readPackageJson } from './entry-points.mjs';

const outDir = 'dist';
const tsconfig = 'tsconfig.build.json';

/** The modules rolldown-plugin-dts adds: a chunk made of them must be named `<name>.d`. */
const isDeclaration = (id) => /\.d\.[cm]?ts$/.test(id);

/** True for `ky`, `ky/distribution/x`, `@tokenwise/core/adapter` and `node:http` alike. */
function externalOf(pkg) {
  const names = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  return (id) => id.startsWith('node:') || names.some((n) => id === n || id.startsWith(`${n}/`));
}

try {
  const pkg = readPackageJson();
  const entries = entryPoints(pkg);
  rmSync(outDir, { recursive: true, force: true });
  await build({
    input: Object.fromEntries(entries.map((entry) => [entry.name, entry.source])),
    tsconfig,
    platform: 'neutral',
    external: externalOf(pkg),
    transform: { target: 'es2023' },
    plugins: [dts({ tsconfig, generator: 'oxc' })],
    output: {
      dir: outDir,
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: '[name].js',
      codeSplitting: {
        groups: [
          { name: 'shared.d', test: isDeclaration, minShareCount: 2 },
          // Only what the entries load at start ($initial): code that only lazily loaded chunks
          // share goes into a chunk of its own, loaded with the first of them.
          {
            name: 'shared',
            test: (id) => !isDeclaration(id),
            minShareCount: 2,
            tags: ['$initial'],
          },
        ],
      },
    },
    // A warning (an unresolved import, a missing export, a declaration oxc cannot emit) fails
    // the build instead of scrolling by.
    onLog(level, log, defaultHandler) {
      if (level === 'warn') throw new Error(log.message);
      defaultHandler(level, log);
    },
  });
  const built = entries.map((entry) => entry.js);
  process.stdout.write(`built ${pkg.name}: ${built.join(', ')} (each with .d.ts and .js.map)\n`);
} catch (error) {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
}
