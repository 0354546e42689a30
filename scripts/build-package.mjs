#!/usr/bin/env node
// Builds the package in the current directory into dist/: each entry point of its package.json
// `exports` becomes one bundled ES module (`./dist/adapter.js` is built from `src/adapter.ts`),
// minified but with its names kept, with one bundled declaration file beside it and a source
// map that carries its sources.
//
// Code that two entry points share goes into one shared chunk (dist/shared.js, with
// dist/shared.d.ts), never into both: a class or a module-level WeakMap must exist once, or
// `instanceof` and brand checks fail across entry points. Code an entry point loads lazily (a
// dynamic import) gets chunks of its own; what it shares with the entry that loads it at start
// goes into `<entry>-start.js` (see loneStartEntry). Everything the package depends on
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
const keepNames = { function: true, class: true };
const tsconfig = 'tsconfig.build.json';

/** The modules rolldown-plugin-dts adds: a chunk made of them must be named `<name>.d`. */
const isDeclaration = (id) => /\.d\.[cm]?ts$/.test(id);

/**
 * Which entry points load each module at start (through static imports), recorded once the
 * module graph is built: see {@link loneStartEntry}.
 */
function startGraph() {
  const loadedBy = new Map();
  const plugin = {
    name: 'start-graph',
    buildEnd() {
      // Static imports, re-exports included (a module's `importers` lists both).
      const imports = new Map();
      for (const id of this.getModuleIds())
        for (const importer of this.getModuleInfo(id)?.importers ?? [])
          imports.set(importer, [...(imports.get(importer) ?? []), id]);
      for (const id of this.getModuleIds()) {
        if (!this.getModuleInfo(id)?.isEntry) continue;
        const pending = [id];
        const seen = new Set(pending);
        for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
          loadedBy.set(next, [...(loadedBy.get(next) ?? []), entryNameOf(id)]);
          for (const imported of imports.get(next) ?? [])
            if (!seen.has(imported)) {
              seen.add(imported);
              pending.push(imported);
            }
        }
      }
    },
  };
  return { plugin, loadedBy };
}

/** `src/adapter.ts` → `adapter`. */
const entryNameOf = (id) => id.replace(/^.*\//, '').replace(/\.ts$/, '');

/**
 * The entry point that alone loads module `id` at start, if one does. A module that two chunks use
 * goes into `shared.js` when two entry points load it at start; into `<entry>-start.js` when one
 * does (and a lazily loaded chunk uses it too); else (only lazily loaded chunks use it) into a
 * chunk of its own, loaded with the first of them. A module one entry loads is never put in
 * `shared.js` for a lazy chunk's sake: there, a neighbour's dynamic imports would come into the
 * bundles of users who import anything else from shared.js (rolldown keeps a dynamic import's
 * chunk when its module is in the bundle, even if tree-shaking drops the import itself).
 */
function loneStartEntry(loadedBy, id) {
  const entries = loadedBy.get(id) ?? [];
  return entries.length === 1 ? entries[0] : undefined;
}

/**
 * Throws when an entry point, or a chunk it loads lazily, imports another entry's
 * `<entry>-start.js`: its users would load that entry's start code too (see loneStartEntry).
 */
function assertOwnStartChunks(output) {
  const chunks = new Map(
    output.filter((file) => file.type === 'chunk').map((c) => [c.fileName, c]),
  );
  for (const entry of [...chunks.values()].filter((chunk) => chunk.isEntry)) {
    const pending = [entry.fileName];
    const seen = new Set(pending);
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      const chunk = chunks.get(name);
      const next = [...(chunk?.imports ?? []), ...(chunk?.dynamicImports ?? [])];
      for (const imported of next.filter((n) => !seen.has(n))) {
        seen.add(imported);
        pending.push(imported);
      }
    }
    const own = `${entry.name}-start.js`;
    const foreign = [...seen].filter((name) => name.endsWith('-start.js') && name !== own);
    if (foreign.length > 0)
      throw new Error(
        `${entry.fileName} reaches another entry's start code: ${foreign.join(', ')}`,
      );
  }
}

/** True for `ky`, `ky/distribution/x`, `@tokenwise/core/adapter` and `node:http` alike. */
function externalOf(pkg) {
  const names = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  return (id) => id.startsWith('node:') || names.some((n) => id === n || id.startsWith(`${n}/`));
}

try {
  const pkg = readPackageJson();
  const entries = entryPoints(pkg);
  rmSync(outDir, { recursive: true, force: true });
  const start = startGraph();
  const { output } = await build({
    input: Object.fromEntries(entries.map((entry) => [entry.name, entry.source])),
    tsconfig,
    platform: 'neutral',
    external: externalOf(pkg),
    transform: { target: 'es2023' },
    plugins: [dts({ tsconfig, generator: 'oxc' }), start.plugin],
    output: {
      dir: outDir,
      format: 'es',
      sourcemap: true,
      // Minified, as a runtime parses less of it at import (the source map carries the sources).
      // Names are kept, so that stack traces and `constructor.name` read as in the source, and
      // so are `@__PURE__` annotations, with which users' bundlers drop what they do not use.
      minify: { compress: { keepNames }, mangle: { keepNames: true } },
      comments: { legal: true, annotation: true, jsdoc: false },
      entryFileNames: '[name].js',
      chunkFileNames: '[name].js',
      codeSplitting: {
        groups: [
          { name: 'shared.d', test: isDeclaration, minShareCount: 2 },
          // See loneStartEntry. Dependencies are pulled into a group's chunk unless a group of
          // higher priority takes them: shared.js first.
          {
            name: 'shared',
            test: (id) => !isDeclaration(id) && (start.loadedBy.get(id) ?? []).length >= 2,
            minShareCount: 2,
            priority: 2,
          },
          {
            name: (id) => `${loneStartEntry(start.loadedBy, id)}-start`,
            debugName: '<entry>-start',
            test: (id) => !isDeclaration(id) && loneStartEntry(start.loadedBy, id) !== undefined,
            minShareCount: 2,
            priority: 1,
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
  assertOwnStartChunks(output);
  const built = entries.map((entry) => entry.js);
  process.stdout.write(`built ${pkg.name}: ${built.join(', ')} (each with .d.ts and .js.map)\n`);
} catch (error) {
  process.stderr.write(`build failed: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
}
