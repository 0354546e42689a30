/**
 * docs/recipes/<vendor>.md shows each recipe file verbatim: every TypeScript block is titled with
 * the file it quotes (`ts title="personify/axios.ts"`), equals that file byte for byte, and every
 * recipe file appears. The files are what the vendor tests run, so no snippet goes untested.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const recipesDir = new URL('./', import.meta.url);
const docsDir = new URL('../../../../docs/recipes/', import.meta.url);
const vendors = ['pa', 'priava', 'papaya', 'personify', 'partner'];
/** Recipes that are not a vendor's: how to use tokenwise in a stack (their code is tested elsewhere). */
const topics = [
  'testing',
  'nestjs',
  'fastify',
  'ky',
  'serverless',
  'from-axios-auth-refresh',
  'from-oauth2-client',
  'tenants',
];

/** The fenced code blocks of a markdown text: info string and content. */
function fencedBlocks(markdown: string): { info: string; code: string }[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].map((match) => ({
    info: (match[1] ?? '').trim(),
    code: match[2] ?? '',
  }));
}

test('there is a recipe page and a recipe directory per vendor, a page per topic, and an index', () => {
  const pages = readdirSync(docsDir).filter((file) => file.endsWith('.md'));
  expect(pages.sort()).toEqual(
    [...[...vendors, ...topics].map((page) => `${page}.md`), 'README.md'].sort(),
  );
  const index = readFileSync(new URL('README.md', docsDir), 'utf8');
  for (const page of [...vendors, ...topics]) expect(index).toContain(`(${page}.md)`);
  // Shell commands only: code lives on the vendor pages, where it is tested.
  expect(fencedBlocks(index).map((block) => block.info)).toEqual(['sh']);
});

describe.each(vendors)('docs/recipes/%s.md', (vendor) => {
  const markdown = readFileSync(new URL(`${vendor}.md`, docsDir), 'utf8');
  const files = readdirSync(new URL(`${vendor}/`, recipesDir))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => `${vendor}/${file}`);
  const blocks = fencedBlocks(markdown);

  test('every code block is a TypeScript block naming the recipe file it quotes', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block.info).toMatch(/^ts title="[\w/-]+\.ts"$/);
  });

  test('shows every recipe file once, verbatim', () => {
    const titles = blocks.map((block) => /title="([^"]+)"/.exec(block.info)?.[1]);
    expect(titles.sort()).toEqual([...files].sort());
    for (const block of blocks) {
      const title = /title="([^"]+)"/.exec(block.info)?.[1] ?? '';
      const source = readFileSync(new URL(title, recipesDir), 'utf8');
      expect(block.code, `${title} differs from the page`).toBe(source);
    }
  });
});
