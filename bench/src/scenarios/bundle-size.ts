import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type OutputChunk } from 'rolldown';

/**
 * What size-limit subtracts for the `import … ; console.log(…)` wrapper around the imports, gzipped
 * (`ROLLDOWN_EMPTY_PROJECT_IMPORT_GZIP` in `@size-limit/rolldown` 14), so that the figures here
 * and size-limit's agree.
 */
const importWrapperGzipBytes = 34;

/**
 * A bundle's gzipped bytes: those the application loads at start, and those of the chunks it
 * loads only when a feature is first used (dynamic imports).
 *
 * @example
 * ```ts
 * const { bytes, lazyBytes } = await minGzipBytes(dir, '@tokenwise/core', ['createTokenManager']);
 * ```
 */
export interface BundleBytes {
  readonly bytes: number;
  readonly lazyBytes: number;
}

/**
 * The bytes a user's bundle gains from importing `names` from `packageName`, minified, tree-shaken
 * and gzipped, measured as size-limit (`@size-limit/preset-small-lib` 14) does: an entry file
 * `import { …names } from 'packageName'; console.log(…names)`, bundled by rolldown with `minify`,
 * tree-shaking and annotation comments dropped, every output chunk gzipped at level 9, minus the
 * wrapper's own bytes. The package resolves from `projectDir`'s `node_modules` as a Node build
 * resolves it (the `node` condition of `exports`, then `main`): not through a `browser` field,
 * which points `@badgateway/oauth2-client` at a prebuilt bundle of everything that no bundler can
 * tree-shake; Node's built-in modules stay external, as in a server build. Throws when an import
 * does not resolve.
 *
 * @example
 * ```ts
 * const bytes = await minGzipBytes(project.dir, '@tokenwise/core', ['createTokenManager', 'clientCredentials']);
 * ```
 */
export async function minGzipBytes(
  projectDir: string,
  packageName: string,
  names: readonly string[],
): Promise<BundleBytes> {
  const work = mkdtempSync(join(projectDir, 'size-'));
  try {
    const entry = join(work, 'index.js');
    const list = names.join(', ');
    writeFileSync(
      entry,
      `import { ${list} } from ${JSON.stringify(packageName)}\nconsole.log(${list})\n`,
    );
    const bundle = await build({
      input: entry,
      // size-limit's output settings (rolldown's default `browser` platform), Node's resolution.
      resolve: { conditionNames: ['import', 'node', 'default'], mainFields: ['main', 'module'] },
      external: [...builtinModules, /^node:/],
      treeshake: true,
      write: false,
      onLog(_level, log) {
        if (log.code === 'UNRESOLVED_IMPORT') throw new Error(`unresolved import: ${log.message}`);
      },
      output: { dir: join(work, 'out'), minify: true, comments: { annotation: false } },
    });
    const chunks = new Map<string, OutputChunk>();
    for (const file of bundle.output) if (file.type === 'chunk') chunks.set(file.fileName, file);
    // Loaded at start: the entry and what it imports statically, transitively.
    const loaded = new Set<string>();
    const visit = (name: string): void => {
      if (loaded.has(name)) return;
      loaded.add(name);
      for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
    };
    for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
    let bytes = 0;
    let lazyBytes = 0;
    for (const file of bundle.output) {
      const text = file.type === 'chunk' ? file.code : file.source;
      const gzipped = gzipSync(text, { level: 9 }).length;
      if (loaded.has(file.fileName)) bytes += gzipped;
      else lazyBytes += gzipped;
    }
    return { bytes: bytes - importWrapperGzipBytes, lazyBytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
