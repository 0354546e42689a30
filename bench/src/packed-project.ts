import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The package directory of `@tokenwise/core` in the workspace. */
const coreDir = fileURLToPath(new URL('../../packages/core/', import.meta.url));

/** The bench workspace's installed `@badgateway/oauth2-client` (a pnpm symlink). */
const badgatewayDir = fileURLToPath(
  new URL('../node_modules/@badgateway/oauth2-client/', import.meta.url),
);

/**
 * A throw-away project in the system's temp directory, holding what users install: the tarball of
 * `@tokenwise/core` that `pnpm pack` produces (the files its `files` field publishes, its
 * published `package.json`), extracted, `@badgateway/oauth2-client` as the bench installed it
 * from the npm registry, and two empty packages (see {@link emptyPackages}). Nothing is
 * downloaded.
 */
export interface PackedProject {
  /** The project's directory: `import('@tokenwise/core')` resolves from here. */
  readonly dir: string;
  /** Deletes the project. */
  remove(): void;
}

/**
 * Packs `@tokenwise/core` (from its built `dist/`) and installs it, with the bench's copy of
 * `@badgateway/oauth2-client`, into a fresh temp project. Throws when packing fails, or when
 * `@badgateway/oauth2-client` gains dependencies (copying it alone would no longer install it).
 *
 * @example
 * ```ts
 * const project = await packedProject();
 * try {
 *   // node --input-type=module -e "await import('@tokenwise/core')" with cwd: project.dir
 * } finally {
 *   project.remove();
 * }
 * ```
 */
export async function packedProject(): Promise<PackedProject> {
  const dir = mkdtempSync(join(tmpdir(), 'tokenwise-bench-'));
  try {
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'packed-bench', private: true, type: 'module' })}\n`,
    );
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    const [pnpm, ...pnpmArgs] = pnpmCommand();
    await run(pnpm ?? 'pnpm', [...pnpmArgs, 'pack', '--pack-destination', tarballs], {
      cwd: coreDir,
    });
    const tarball = readdirSync(tarballs).find((name) => name.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball into ${tarballs}`);
    const core = join(dir, 'node_modules', '@tokenwise', 'core');
    mkdirSync(core, { recursive: true });
    await run('tar', ['-xzf', join(tarballs, tarball), '-C', core, '--strip-components=1']);
    installBadgateway(join(dir, 'node_modules', '@badgateway', 'oauth2-client'));
    writeEmptyPackages(join(dir, 'node_modules'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function installBadgateway(destination: string): void {
  const source = realpathSync(badgatewayDir);
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  if (Object.keys(manifest.dependencies ?? {}).length > 0) {
    throw new Error('@badgateway/oauth2-client now has dependencies: install it with them');
  }
  cpSync(source, destination, { recursive: true, dereference: true });
}

/**
 * Two packages of one empty module, the floors of a cold import: one found through an `exports`
 * map (as `@tokenwise/core` is, with `types` and `default` conditions), one through `main` only
 * (as `@badgateway/oauth2-client` is). What Node spends on each is resolving, reading and linking
 * a package, whatever it holds.
 *
 * @example
 * ```ts
 * await import(emptyPackages.exportsMap); // in the temp project
 * ```
 */
export const emptyPackages = {
  exportsMap: '@bench/empty-exports-map',
  mainOnly: '@bench/empty-main-only',
} as const;

function writeEmptyPackages(nodeModules: string): void {
  const manifests = {
    [emptyPackages.exportsMap]: {
      exports: {
        '.': { types: './index.d.ts', default: './index.js' },
        './package.json': './package.json',
      },
    },
    [emptyPackages.mainOnly]: { main: 'index.js' },
  };
  for (const [name, fields] of Object.entries(manifests)) {
    const packageDir = join(nodeModules, ...name.split('/'));
    mkdirSync(packageDir, { recursive: true });
    const manifest = { name, version: '0.0.0', type: 'module', ...fields };
    writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify(manifest)}\n`);
    writeFileSync(join(packageDir, 'index.js'), 'export const empty = true;\n');
  }
}

/**
 * How to run pnpm: the pnpm that runs `pnpm bench` (`npm_execpath`, a script run by this Node
 * when it is one), else `pnpm` on the `PATH`.
 */
function pnpmCommand(): string[] {
  const execPath = process.env.npm_execpath;
  if (execPath === undefined || !/pnpm/.test(execPath)) return ['pnpm'];
  return /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : [execPath];
}
