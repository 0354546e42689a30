#!/usr/bin/env node
// Checks or writes the API report of each entry point of the package in the current directory:
// api/<name>.api.md is API Extractor's summary of the declarations dist/<name>.d.ts publishes
// (so it needs a build first). The reports are checked in: every change to the public API shows
// in review as a change to a report, and this check fails when a report was not updated.
//
//   node ../../scripts/api-report.mjs           check: exit 1 when a report is missing or stale
//   node ../../scripts/api-report.mjs --update  rewrite the reports that changed (`pnpm api:update`)
//
// A declaration the public ones use without exporting it (an options type, say) is in the report
// too (`includeForgottenExports`), without `export`, so a change to it shows as well. Release tags
// (`// @public`) are API Extractor's own notation; this project does not use them, nor does this
// check judge TSDoc style: `(undocumented)` only marks an export without a summary.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
} from '@microsoft/api-extractor';
import { EntryPointError, entryPoints, readPackageJson } from './entry-points.mjs';

const update = process.argv.includes('--update');
const reportFolder = 'api';
const updateCommand = 'pnpm api:update';
const repositoryRoot = join(import.meta.dirname, '..');

/** API Extractor's settings for one entry point (no config file: this is the whole of it). */
function configFor(entry, entries, tempFolder) {
  return {
    projectFolder: process.cwd(),
    mainEntryPointFilePath: join(process.cwd(), entry.types),
    bundledPackages: [],
    newlineKind: 'lf',
    enumMemberOrder: 'preserve',
    compiler: {
      // The package's own compiler settings (lib, types), over its published declarations.
      // skipLibCheck: checking every .d.ts (node's, the HTTP clients') would triple the time.
      overrideTsconfig: {
        extends: './tsconfig.build.json',
        compilerOptions: { rootDir: '.', noEmit: true, skipLibCheck: true },
        include: entries.map((each) => each.types),
      },
    },
    apiReport: {
      enabled: true,
      reportFileName: entry.name,
      reportFolder: join(process.cwd(), reportFolder),
      reportTempFolder: tempFolder,
      includeForgottenExports: true,
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: 'error' } },
      extractorMessageReporting: {
        default: { logLevel: 'warning' },
        'ae-forgotten-export': { logLevel: 'none' },
        'ae-missing-release-tag': { logLevel: 'none' },
        'ae-unresolved-link': { logLevel: 'none' },
        'ae-undocumented': { logLevel: 'none' },
      },
      tsdocMessageReporting: { default: { logLevel: 'none' } },
    },
  };
}

/**
 * Runs API Extractor on one entry point. `compiler.state` (one TypeScript program over every
 * entry point's declarations) is made by the first call and reused by the next ones.
 * Returns whether the report differs from the checked-in one (in update mode: whether it was
 * rewritten), the diff in check mode, and the problems API Extractor found.
 */
function runExtractor(entry, entries, tempFolder, compiler) {
  const config = ExtractorConfig.prepare({
    configObject: configFor(entry, entries, tempFolder),
    packageJsonFullPath: join(process.cwd(), 'package.json'),
  });
  compiler.state ??= CompilerState.create(config);
  const problems = [];
  let diff = '';
  const result = Extractor.invoke(config, {
    localBuild: update,
    compilerState: compiler.state,
    printApiReportDiff: !update,
    messageCallback(message) {
      message.handled = true;
      if (message.messageId === 'console-api-report-diff') diff = message.text;
      else if (message.messageId.startsWith('console-api-report'))
        return; // told in our words
      else if (message.logLevel === ExtractorLogLevel.Error) problems.push(message);
      else if (message.logLevel === ExtractorLogLevel.Warning) problems.push(message);
    },
  });
  return {
    changed: result.apiReportChanged,
    diff,
    problems: problems.map((message) => message.formatMessageWithLocation(process.cwd())),
  };
}

const tempFolder = mkdtempSync(join(tmpdir(), 'tokenwise-api-'));
try {
  const pkg = readPackageJson();
  const entries = entryPoints(pkg);
  if (update) mkdirSync(reportFolder, { recursive: true });
  const compiler = { state: undefined };
  let failed = false;
  for (const entry of entries) {
    const reportPath = relative(
      repositoryRoot,
      join(process.cwd(), reportFolder, `${entry.name}.api.md`),
    );
    const declarations = `${pkg.name} ${entry.subpath === '.' ? '' : `${entry.subpath} `}(${entry.types})`;
    const { changed, diff, problems } = runExtractor(entry, entries, tempFolder, compiler);
    for (const problem of problems) process.stderr.write(`api: ${declarations}: ${problem}\n`);
    failed ||= problems.length > 0;
    if (!changed) {
      process.stdout.write(`api: ${reportPath} is up to date\n`);
    } else if (update) {
      process.stdout.write(`api: ${reportPath} rewritten: commit it with the change it shows\n`);
    } else {
      failed = true;
      const state =
        diff === '' ? 'is missing' : `is out of date: the public API of ${declarations} changed`;
      process.stderr.write(
        `api: ${reportPath} ${state}.\n` +
          `  Review the change, then run \`${updateCommand}\` and commit ${reportPath} with it.\n` +
          `${diff}\n`,
      );
    }
  }
  if (failed) process.exitCode = 1;
} catch (error) {
  process.stderr.write(`api: ${error instanceof EntryPointError ? error.message : error.stack}\n`);
  process.exitCode = 1;
} finally {
  rmSync(tempFolder, { recursive: true, force: true });
}
