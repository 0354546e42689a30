// How many copies of @tokenwise/core a package manager installed into a project: one means the
// user's code and every adapter share one token cache and one set of error classes.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

const CORE = '@tokenwise/core';

/** Every directory of `CORE` under a node_modules tree, flat, nested or in a store (.pnpm, .bun). */
function coreDirectories(nodeModules, found) {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules)) {
    const path = join(nodeModules, entry);
    if (entry === '.pnpm' || entry === '.bun') {
      for (const stored of readdirSync(path))
        coreDirectories(join(path, stored, 'node_modules'), found);
    } else if (entry.startsWith('@')) {
      for (const name of readdirSync(path))
        visitPackage(`${entry}/${name}`, join(path, name), found);
    } else if (!entry.startsWith('.')) visitPackage(entry, path, found);
  }
}

function visitPackage(name, path, found) {
  if (name === CORE && existsSync(join(path, 'package.json'))) found.add(realpathSync(path));
  // A symlink points into a store the walk visits anyway; only real directories nest packages.
  if (!lstatSync(path).isSymbolicLink()) coreDirectories(join(path, 'node_modules'), found);
}

/** Yarn Plug'n'Play: the distinct versions of `CORE` in .pnp.data.json, virtual instances folded. */
function plugNPlayCopies(project) {
  const data = JSON.parse(readFileSync(join(project, '.pnp.data.json'), 'utf8'));
  const references = new Set();
  for (const [name, instances] of data.packageRegistryData)
    if (name === CORE)
      for (const [reference] of instances) references.add(reference.replace(/^virtual:[^#]*#/, ''));
  return references.size;
}

/**
 * The number of copies of @tokenwise/core installed in `project`, whatever the layout: a
 * node_modules tree (npm, Bun), pnpm's store links (counted once per real directory), or Yarn
 * Plug'n'Play data (written to .pnp.data.json with `pnpEnableInlining: false`).
 *
 * @example
 * coreCopies('/tmp/rehearsal/axios-auth-pnpm'); // 1
 */
export function coreCopies(project) {
  if (existsSync(join(project, '.pnp.data.json'))) return plugNPlayCopies(project);
  const found = new Set();
  coreDirectories(join(project, 'node_modules'), found);
  return found.size;
}
