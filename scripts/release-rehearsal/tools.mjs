// The programs the rehearsal needs besides Node, npm and the pinned pnpm: the local registry and
// the two package managers that do not come with Node. Each is an npm registry package, pinned
// here and installed with npm into .tools/rehearsal/ (ignored by git), once per version change.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pinned versions: verdaccio 6, Yarn 4 (its npm distribution) and Bun. */
export const TOOL_VERSIONS = {
  verdaccio: '6.10.4',
  '@yarnpkg/cli-dist': '4.18.1',
  bun: '1.4.5',
};

const installedVersion = (dir, name) => {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return undefined;
  }
};

/**
 * Installs the pinned tools into `<root>/.tools/rehearsal` unless they are there already, and
 * returns how to start each: a command and the arguments that come before the caller's own.
 *
 * @example
 * const tools = installTools(root);
 * execFileSync(tools.yarn.command, [...tools.yarn.args, '--version']);
 */
export function installTools(root) {
  const dir = join(root, '.tools', 'rehearsal');
  const stale = Object.entries(TOOL_VERSIONS).some(
    ([name, version]) => installedVersion(dir, name) !== version,
  );
  if (stale) {
    process.stdout.write(`tools: installing ${JSON.stringify(TOOL_VERSIONS)} with npm\n`);
    mkdirSync(dir, { recursive: true });
    const manifest = { private: true, dependencies: TOOL_VERSIONS };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const modules = join(dir, 'node_modules');
  return {
    verdaccio: {
      command: process.execPath,
      args: [join(modules, 'verdaccio', 'bin', 'verdaccio')],
    },
    yarn: {
      command: process.execPath,
      args: [join(modules, '@yarnpkg', 'cli-dist', 'bin', 'yarn.js')],
    },
    bun: { command: join(modules, 'bun', 'bin', 'bun.exe'), args: [] },
  };
}
