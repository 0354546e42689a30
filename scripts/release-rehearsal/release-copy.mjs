// The release, rehearsed on a copy: the working tree (tracked and new files, as they are now, so
// uncommitted changesets count) is copied to a temporary directory and made a git repository of
// its own; there the documented commands run unchanged, `pnpm version-packages` and then
// `pnpm release`, with the copy's .npmrc pointing at the local registry. The real checkout is
// only read.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { exec } from './exec.mjs';

function copyWorkingTree(root, copy) {
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  )
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(root, file), join(copy, file));
  }
  return files.length;
}

/** The packages `changeset publish` publishes: every package under packages/ that is not private. */
export function publicPackages(root) {
  return readdirSync(join(root, 'packages'))
    .map((dir) => ({ dir, file: join(root, 'packages', dir, 'package.json') }))
    .filter(({ file }) => existsSync(file))
    .map(({ dir, file }) => ({ dir, manifest: JSON.parse(readFileSync(file, 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** What the registry holds of `name`: the manifest its `latest` tag points at. */
async function latestManifest(registryUrl, name) {
  const response = await fetch(`${registryUrl}/${name.replace('/', '%2f')}`);
  if (!response.ok) return undefined;
  const packument = await response.json();
  return packument.versions?.[packument['dist-tags']?.latest];
}

/**
 * Copies the working tree of `root` into `<dir>/repo`, versions it and publishes every public
 * package to `registry` with the repository's own scripts. Resolves to what the registry then
 * holds for each public package; rejects when a command fails or a package is missing there.
 *
 * @example
 * const published = await releaseFromCopy({ root, dir, registry, env, log });
 * // [{ name: '@tokenwise/core', version: '0.1.0', peerDependencies: undefined }, …]
 */
export async function releaseFromCopy({ root, dir, registry, env, log }) {
  const copy = join(dir, 'repo');
  const files = copyWorkingTree(root, copy);
  const run = (command, args, timeoutMs) => exec(command, args, { cwd: copy, env, log, timeoutMs });
  const git = ['-c', 'user.name=rehearsal', '-c', 'user.email=rehearsal@localhost'];
  await run('git', ['init', '-q', '-b', 'main']);
  await run('git', [...git, 'add', '-A']);
  await run('git', [...git, 'commit', '-q', '-m', `working tree (${files} files)`]);
  await run(
    'pnpm',
    ['install', '--frozen-lockfile', '--offline', '--reporter=append-only'],
    600_000,
  );
  const host = registry.url.replace(/^https?:/, '');
  writeFileSync(
    join(copy, '.npmrc'),
    `registry=${registry.url}/\n${host}/:_authToken=${registry.token}\n`,
  );
  await run('pnpm', ['version-packages']);
  await run('git', [...git, 'commit', '-q', '-am', 'version packages']);
  await run('pnpm', ['release'], 600_000);
  const published = [];
  for (const { manifest } of publicPackages(copy)) {
    const onRegistry = await latestManifest(registry.url, manifest.name);
    if (onRegistry?.version !== manifest.version)
      throw new Error(
        `${manifest.name}@${manifest.version} is not on the local registry after \`pnpm release\` (latest: ${onRegistry?.version})`,
      );
    published.push({
      name: manifest.name,
      version: onRegistry.version,
      peerDependencies: onRegistry.peerDependencies,
      dependencies: onRegistry.dependencies,
    });
  }
  return { copy, published };
}
