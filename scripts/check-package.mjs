#!/usr/bin/env node
// Packs the package in the current directory exactly as it would be published, then checks the
// tarball: it holds LICENSE, publint (package.json and file layout), @arethetypeswrong/cli (types
// resolve for ESM consumers) and size-limit (min+gz budget from the package's "size-limit" field).
// Exits non-zero on any finding.
//
// attw runs with the esm-only profile, which ignores the node10 and node16-from-CJS resolutions
// (our packages are ESM-only; CommonJS consumers use a dynamic import). Its table lists those
// ignored resolutions with warning signs all the same, so its JSON report is read instead and
// summed up in one line; any problem in a resolution the profile does not ignore is listed and
// fails the check.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  run('publint', ['run', tarball, '--strict']);
  checkTypes(tarball);
  run('size-limit', []);
} catch (error) {
  process.exitCode =
    !(error instanceof CheckFailed) && typeof error.status === 'number' && error.status !== 0
      ? error.status
      : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
