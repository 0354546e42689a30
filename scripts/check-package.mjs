#!/usr/bin/env node
// Packs the package in the current directory exactly as it would be published, then checks the
// tarball: publint (package.json and file layout), @arethetypeswrong/cli (types resolve for ESM
// consumers) and size-limit (min+gz budget from the package's "size-limit" field).
// Exits non-zero on any finding.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'tokenwise-pack-'));
try {
  execFileSync('pnpm', ['pack', '--pack-destination', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz')),
  );
  run('publint', ['run', tarball, '--strict']);
  run('attw', [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  run('size-limit', []);
} catch (error) {
  process.exitCode = typeof error.status === 'number' && error.status !== 0 ? error.status : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
