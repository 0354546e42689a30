/**
 * Docs that compile (issue 18, item 1): every `ts` / `js` code block of README.md,
 * packages/<name>/README.md and docs/ type-checks on its own, as a user would paste it into a
 * strict `moduleResolution: nodenext` project, against the built packages (`dist`, so run
 * `pnpm build` first; turbo's `test` depends on `build`).
 *
 * Each block becomes one module in a temporary directory inside this package (so node_modules
 * resolution finds @tokenwise/*, axios, got, ky and msw), `js` blocks as `.mjs` checked with
 * `checkJs`, and one `tsc -p` run checks them all. A failure names the markdown file and line.
 * A block that uses what another shows either imports it (a block may name its file on its first
 * line, `// tokens.ts`, see `layout`) or declares it in a visible preamble
 * (`declare const tokens: TokenManager;`).
 *
 * Not checked:
 * - ```ts nocompile``` blocks (at most 3 in the repo; each says in its prose why);
 * - ```ts title="…"``` blocks of the pages in VERBATIM: each is a byte-for-byte copy of a source
 *   file, which the test named there compares and which the package's typecheck and tests run;
 * - `sh` blocks and blocks without a language.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const testingDir = fileURLToPath(new URL('../../', import.meta.url));

/** Pages whose titled blocks are verbatim copies of files, and the test that proves it. */
const VERBATIM: Record<string, string> = {
  'docs/recipes/pa.md': 'packages/testing/src/recipes/docs.test.ts',
  'docs/recipes/papaya.md': 'packages/testing/src/recipes/docs.test.ts',
  'docs/recipes/partner.md': 'packages/testing/src/recipes/docs.test.ts',
  'docs/recipes/personify.md': 'packages/testing/src/recipes/docs.test.ts',
  'docs/recipes/priava.md': 'packages/testing/src/recipes/docs.test.ts',
  'docs/recipes/fastify.md': 'packages/got-auth/src/index.fastify-recipe.test.ts',
  'docs/recipes/tenants.md': 'packages/testing/src/recipes/tenants.test.ts',
};
const MAX_NOCOMPILE = 3;

/**
 * What a Workers project gets from `wrangler types` (@cloudflare/workers-types), reduced to what
 * the README uses: `env` holds the worker's string variables, `waitUntil` extends the request.
 */
const cloudflareWorkers = `declare module 'cloudflare:workers' {
  export const env: { readonly [name: string]: string };
  export function waitUntil(promise: Promise<unknown>): void;
}
`;

interface Block {
  page: string;
  /** 1-based line of the block's first code line in the page. */
  line: number;
  info: string;
  code: string;
}

function markdownPages(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file));
  const packages = readdirSync(join(root, 'packages'))
    .map((name) => join('packages', name, 'README.md'))
    .filter((file) => {
      try {
        readFileSync(join(root, file));
        return true;
      } catch {
        return false;
      }
    });
  return ['README.md', ...packages, ...docs].map((file) => file.split('\\').join('/')).sort();
}

function fencedBlocks(page: string): Block[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const end = lines.findIndex((text, j) => j > i && text.trimEnd() === fence);
    if (end === -1) throw new Error(`${page}:${i + 1}: unclosed code block`);
    blocks.push({
      page,
      line: i + 2,
      info: (open[2] ?? '').trim(),
      code: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return blocks;
}

const language = (block: Block) => block.info.split(/\s+/)[0] ?? '';
const isCode = (block: Block) =>
  ['ts', 'typescript', 'js', 'javascript', 'mjs'].includes(language(block));
const isNocompile = (block: Block) => isCode(block) && /(^|\s)nocompile(\s|$)/.test(block.info);
const isVerbatim = (block: Block) => /(^|\s)title="/.test(block.info);

const blocks = markdownPages().flatMap(fencedBlocks);
const checked = blocks.filter(
  (block) => isCode(block) && !isNocompile(block) && !isVerbatim(block),
);

const dir = mkdtempSync(join(testingDir, '.docs-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('at most 3 blocks opt out with `nocompile`', () => {
  const optedOut = blocks.filter(isNocompile).map((block) => `${block.page}:${block.line - 1}`);
  expect(optedOut.length, optedOut.join('\n')).toBeLessThanOrEqual(MAX_NOCOMPILE);
});

test('titled blocks are only on pages a test proves verbatim', () => {
  const unproven = blocks
    .filter((block) => isCode(block) && isVerbatim(block) && !(block.page in VERBATIM))
    .map((block) => `${block.page}:${block.line - 1}`);
  expect(unproven).toEqual([]);
  for (const test of new Set(Object.values(VERBATIM)))
    expect(readFileSync(join(root, test), 'utf8')).toMatch(/verbatim/);
});

/**
 * Where each block goes. A block whose first line names its file (`// src/billing-client.ts`) is
 * written under that name, so the page's other blocks can import it (`./billing-client.ts`); one
 * whose first line is `// <the same name> (continued)` is appended to it. Every other block is a
 * module of its own. Each page has its own directory.
 */
function layout(page: Block[]): Map<string, Block[]> {
  const files = new Map<string, Block[]>();
  for (const block of page) {
    const named = /^\/\/ ([\w./-]+\.(?:ts|mjs))( \(continued\))?\s*$/.exec(
      block.code.split('\n')[0] ?? '',
    );
    const slug = block.page.replace(/[^\w]+/g, '_');
    const extension = language(block).startsWith('t') ? 'ts' : 'mjs';
    const file = named ? `${slug}/${named[1]}` : `${slug}/L${block.line - 1}.${extension}`;
    if (named?.[2] && !files.has(file))
      throw new Error(`${block.page}:${block.line}: continues ${named[1]}, which no block starts`);
    if (!named?.[2] && files.has(file))
      throw new Error(`${block.page}:${block.line}: a second block named ${named?.[1]}`);
    files.set(file, [...(files.get(file) ?? []), block]);
  }
  return files;
}

/** How TypeScript users resolve packages: Node's own rules, and a bundler's (Vite, esbuild, …). */
const resolutions = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;

/** Generated file → its blocks, each with the file line its first line lands on. */
const sources = new Map<string, { block: Block; start: number }[]>();
for (const page of new Set(checked.map((block) => block.page))) {
  for (const [file, parts] of layout(checked.filter((block) => block.page === page))) {
    let start = 1;
    const segments = parts.map((block) => {
      const segment = { block, start };
      start += block.code.split('\n').length;
      return segment;
    });
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), `${parts.map((block) => block.code).join('\n')}\n`);
    sources.set(file, segments);
  }
}
writeFileSync(join(dir, 'cloudflare-workers.d.ts'), cloudflareWorkers);

test.each(Object.entries(resolutions))(
  'every ts and js code block type-checks on its own (moduleResolution %s)',
  async (name, resolution) => {
    expect(checked.length).toBeGreaterThan(40);
    const config = join(dir, `tsconfig.${name}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          ...resolution,
          moduleDetection: 'force',
          strict: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules/@types')],
          noEmit: true,
          // The blocks are under test, not the libraries: checking every .d.ts of got, msw,
          // redis and NestJS would fail this test for problems no doc can fix, and triple its
          // time. Our own declarations are checked where they are built.
          skipLibCheck: true,
          // The repository's relative imports name the file (`./tokens.ts`), as Node runs them.
          allowImportingTsExtensions: true,
          allowJs: true,
          checkJs: true,
        },
        files: [...sources.keys(), 'cloudflare-workers.d.ts'],
      }),
    );
    const tsc = join(root, 'node_modules/.bin/tsc');
    const output = await promisify(execFile)(tsc, ['-p', config, '--pretty', 'false'], {
      cwd: dir,
    }).then(
      () => '',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    // file.ts(12,5): error TS2304: … → README.md:78:5: error TS2304: …
    const errors = output
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text) => {
        const match = /^([^(]+)\((\d+),(\d+)\): (.*)$/.exec(text);
        const file =
          match &&
          relative(dir, join(dir, match[1] ?? ''))
            .split('\\')
            .join('/');
        const line = Number(match?.[2]);
        const segment = file && sources.get(file)?.findLast((part) => part.start <= line);
        if (!match || !segment) return text;
        const at = segment.block.line + line - segment.start;
        return `${segment.block.page}:${at}:${match[3]}: ${match[4]}`;
      });
    expect(errors, errors.join('\n')).toEqual([]);
  },
  30_000,
);
