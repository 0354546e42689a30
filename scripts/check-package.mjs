#!/usr/bin/env node
// Packs the package in the current directory exactly as it would be published, then checks the
// tarball: it holds LICENSE, its package.json points at the project's home (PROJECT_HOME below:
// `repository` with the package's `directory`, `homepage` at its README, `bugs` at the issues),
// its README links only to absolute URLs (relative links break on the registry's package page)
// and every link into the repository names a file that exists, publint (package.json and file
// layout), @arethetypeswrong/cli (types resolve for ESM consumers), that every function and
// class each entry point exports keeps its name through minification (stack traces and
// `constructor.name` read as in the source) and size-limit (min+gz budget from the package's
// "size-limit" field). Exits non-zero on any finding.
//
// attw runs with the esm-only profile, which ignores the node10 and node16-from-CJS resolutions
// (our packages are ESM-only; CommonJS consumers use a dynamic import). Its table lists those
// ignored resolutions with warning signs all the same, so its JSON report is read instead and
// summed up in one line; any problem in a resolution the profile does not ignore is listed and
// fails the check.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { entryPoints, readPackageJson } from './entry-points.mjs';

/** The one place that names where tokenwise lives; every package.json and README must agree. */
const PROJECT_HOME = 'https://github.com/tokenwise/tokenwise';
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

const attwProfile = 'esm-only';
const ignoredResolutions = ['node10', 'node16-cjs']; // what attw's esm-only profile ignores

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

class CheckFailed extends Error {}

function checkLicense(tarball) {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  if (!files.includes('package/LICENSE')) {
    process.stderr.write('LICENSE: missing from the tarball (copy the root LICENSE here)\n');
    throw new CheckFailed();
  }
  process.stdout.write('LICENSE: in the tarball\n');
}

const fromTarball = (tarball, file) =>
  execFileSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8' });

/** What `repository`, `homepage` and `bugs` must say for the package in `directory`. */
function expectedMetadata(directory) {
  return {
    homepage: `${PROJECT_HOME}/tree/main/${directory}#readme`,
    bugs: { url: `${PROJECT_HOME}/issues` },
    repository: { type: 'git', url: `git+${PROJECT_HOME}.git`, directory },
  };
}

function checkMetadata(tarball) {
  const directory = relative(repositoryRoot, process.cwd()).split('\\').join('/');
  const manifest = JSON.parse(fromTarball(tarball, 'package.json'));
  const wrong = Object.entries(expectedMetadata(directory)).filter(
    ([field, value]) => JSON.stringify(manifest[field]) !== JSON.stringify(value),
  );
  if (wrong.length === 0) {
    process.stdout.write(`metadata: repository, homepage and bugs point at ${PROJECT_HOME}\n`);
    return;
  }
  for (const [field, value] of wrong)
    process.stderr.write(
      `metadata: "${field}" is ${JSON.stringify(manifest[field])}, expected ${JSON.stringify(value)}\n`,
    );
  throw new CheckFailed();
}

/** Link targets of a markdown text outside code, with their line numbers. */
function linkTargets(markdown) {
  const targets = [];
  let fence;
  markdown.split('\n').forEach((text, index) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (opening && (fence === undefined || opening.startsWith(fence))) {
      fence = fence === undefined ? opening : undefined;
      return;
    }
    if (fence !== undefined) return;
    const prose = text.replace(/(`+)[^`]*?\1/g, '');
    const patterns = [
      /\]\(\s*<?([^)\s>]+)/g, // [text](target), ![alt](target)
      /^\s*\[[^\]]+\]:\s*<?([^\s>]+)/g, // [label]: target
      /\b(?:href|src)\s*=\s*["']([^"']+)/g, // <a href="target">, <img src="target">
    ];
    for (const pattern of patterns)
      for (const match of prose.matchAll(pattern))
        targets.push({ line: index + 1, target: match[1] });
  });
  return targets;
}

/** Why a README link would break on the registry's page, or `undefined` when it will not. */
function brokenLink(target) {
  if (target.startsWith('#') || /^mailto:/i.test(target)) return undefined;
  if (!/^https?:\/\//i.test(target))
    return `is relative, which breaks on the registry's package page: use ${PROJECT_HOME}/blob/main/<path>`;
  const inRepository = new RegExp(`^${PROJECT_HOME}/(?:blob|tree)/main/([^#?]*)`).exec(target);
  if (inRepository && !existsSync(join(repositoryRoot, decodeURIComponent(inRepository[1]))))
    return `names ${inRepository[1]}, which is not in the repository`;
  return undefined;
}

function checkReadmeLinks(tarball) {
  const links = linkTargets(fromTarball(tarball, 'README.md'));
  const broken = links
    .map((link) => ({ ...link, reason: brokenLink(link.target) }))
    .filter((link) => link.reason !== undefined);
  if (broken.length === 0) {
    process.stdout.write(`README: ${links.length} links, all absolute and to existing files\n`);
    return;
  }
  for (const { line, target, reason } of broken)
    process.stderr.write(`README.md:${line}: link ${target} ${reason}\n`);
  throw new CheckFailed();
}

function checkTypes(tarball) {
  const attw = spawnSync('attw', [tarball, '--profile', attwProfile, '--format', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(attw.stdout);
  } catch {
    process.stderr.write(`attw: no JSON report (exit ${attw.status})\n${attw.stdout}`);
    throw new CheckFailed();
  }
  const { analysis } = report;
  const problems = (analysis.problems ?? []).filter(
    (p) => !('resolutionKind' in p) || !ignoredResolutions.includes(p.resolutionKind),
  );
  const name = `${analysis.packageName}@${analysis.packageVersion}`;
  const entrypoints = Object.keys(analysis.entrypoints ?? {}).length;
  if (problems.length === 0 && attw.status === 0) {
    process.stdout.write(
      `attw: ${name}: types resolve for ESM consumers (node16 from ESM, bundler) at ${entrypoints} entrypoints (profile ${attwProfile})\n`,
    );
    return;
  }
  process.stderr.write(`attw: ${name}: ${problems.length} problem(s) (profile ${attwProfile})\n`);
  for (const p of problems) {
    const where = [p.entrypoint, p.resolutionKind].filter(Boolean).join(', ');
    process.stderr.write(
      `  ${p.kind}${where ? ` (${where})` : ''}: https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/${p.kind}.md\n`,
    );
  }
  if (problems.length === 0) process.stderr.write(`  attw exited ${attw.status}\n`);
  throw new CheckFailed();
}

/**
 * Every function and class an entry point exports (as built in dist/, what the tarball holds)
 * has its export's name: the build minifies, and must keep names.
 */
async function checkExportNames() {
  const renamed = [];
  let checked = 0;
  for (const entry of entryPoints(readPackageJson())) {
    const exports = await import(pathToFileURL(join(process.cwd(), entry.js)).href);
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function') continue;
      checked++;
      if (value.name !== name) renamed.push(`${entry.js}: ${name} is named ${value.name}`);
    }
  }
  if (renamed.length > 0) {
    process.stderr.write(`export names: lost in the build\n  ${renamed.join('\n  ')}\n`);
    throw new CheckFailed();
  }
  process.stdout.write(`export names: the ${checked} exported functions and classes keep them\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'tokenwise-pack-'));
try {
  execFileSync('pnpm', ['pack', '--pack-destination', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz')),
  );
  checkLicense(tarball);
  checkMetadata(tarball);
  checkReadmeLinks(tarball);
  run('publint', ['run', tarball, '--strict']);
  checkTypes(tarball);
  await checkExportNames();
  run('size-limit', []);
} catch (error) {
  process.exitCode =
    !(error instanceof CheckFailed) && typeof error.status === 'number' && error.status !== 0
      ? error.status
      : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
