// The four ways a user installs tokenwise, each set up in a fresh project to take @tokenwise/*
// from the local registry and everything else from the npm registry, as it would after a real
// release. npm and pnpm keep their usual caches (both address tarballs by integrity, so an
// earlier rehearsal's @tokenwise/core of the same version is never reused); Yarn and Bun, whose
// caches go by name and version, get one in the rehearsal's directory.
//
// Yarn runs with Plug'n'Play: nothing a package did not declare is resolvable, which is what
// catches an undeclared dependency. The others type-check with the repository's TypeScript and
// Node types; Yarn needs TypeScript in the project, patched to read Plug'n'Play, and Yarn patches
// TypeScript 6 (TypeScript 7, a native program, resolves from node_modules only).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const nodeMajor = process.versions.node.split('.')[0];

/**
 * The package managers of the matrix. Each has `setup(project, { registry, cache })`, which
 * writes its configuration, `add(packages, { dev })`, `run(file)` and `typecheck`: each command
 * as `[command, args]`; `typescript` lists what it must add to type-check (nothing when the
 * repository's TypeScript can read its layout).
 *
 * @example
 * const [npm] = packageManagers(tools, repositoryTsc);
 * npm.add(['@tokenwise/core'], { dev: false }); // ['npm', ['install', '@tokenwise/core']]
 */
export function packageManagers(tools, repositoryTsc) {
  const yarn = (...args) => [tools.yarn.command, [...tools.yarn.args, ...args]];
  const bun = (...args) => [tools.bun.command, [...tools.bun.args, ...args]];
  const scopeOnly = (registry) => `@tokenwise:registry=${registry}/\n`;
  const node = (file) => [process.execPath, [file]];
  const withRepositoryTsc = [process.execPath, [repositoryTsc, '-p', 'tsconfig.json']];
  return [
    {
      name: 'npm',
      setup: (project, { registry }) => writeFileSync(join(project, '.npmrc'), scopeOnly(registry)),
      add: (packages, { dev }) => ['npm', ['install', ...(dev ? ['-D'] : []), ...packages]],
      typescript: [],
      typecheck: withRepositoryTsc,
      run: node,
    },
    {
      name: 'pnpm',
      setup: (project, { registry }) => writeFileSync(join(project, '.npmrc'), scopeOnly(registry)),
      add: (packages, { dev }) => ['pnpm', ['add', ...(dev ? ['-D'] : []), ...packages]],
      typescript: [],
      typecheck: withRepositoryTsc,
      run: node,
    },
    {
      name: 'yarn (pnp)',
      setup: (project, { registry, cache }) =>
        writeFileSync(
          join(project, '.yarnrc.yml'),
          [
            'nodeLinker: pnp',
            'pnpEnableInlining: false', // .pnp.data.json, which core-copies.mjs reads
            `npmScopes: { tokenwise: { npmRegistryServer: "${registry}" } }`,
            'unsafeHttpWhitelist: ["127.0.0.1"]',
            // Yarn installs no version younger than a day (npmMinimalAgeGate); ours are minutes old.
            'npmPreapprovedPackages: ["@tokenwise/*"]',
            'enableGlobalCache: false',
            `cacheFolder: "${cache}"`,
            'enableImmutableInstalls: false', // Yarn turns it on when CI is set
            'enableTelemetry: false',
            '',
          ].join('\n'),
        ),
      add: (packages, { dev }) => yarn('add', ...(dev ? ['-D'] : []), ...packages),
      typescript: ['typescript@^6', `@types/node@^${nodeMajor}`],
      typecheck: yarn('tsc', '-p', 'tsconfig.json'),
      run: (file) => yarn('node', file),
    },
    {
      name: 'bun',
      setup: (project, { registry, cache }) =>
        writeFileSync(
          join(project, 'bunfig.toml'),
          `[install.scopes]\ntokenwise = "${registry}/"\n\n[install.cache]\ndir = "${cache}"\n`,
        ),
      add: (packages, { dev }) => bun('add', ...(dev ? ['-d'] : []), ...packages),
      typescript: [],
      typecheck: withRepositoryTsc,
      run: (file) => bun(file),
    },
  ];
}
