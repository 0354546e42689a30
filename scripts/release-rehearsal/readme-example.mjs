// What a package README tells a user to do first, read from the README itself so that the
// rehearsal tests the README: its install line (`npm install …` in the first `sh` block) and its
// first TypeScript example, with the example's hosts pointed at the local token server and API.
import { readFileSync } from 'node:fs';

/** The README's hosts and what the rehearsal serves in their place. */
const HOSTS = {
  tokenUrl: 'https://auth.example.com/connect/token',
  api: 'https://api.example.com',
};

function fencedBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*(\S*)/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((text, j) => j > i && text.trimEnd() === open[1]);
    if (end === -1) break;
    blocks.push({ language: open[2], line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * The install line and first `ts` example of the README at `path`.
 *
 * @example
 * readmeExample('packages/ky-auth/README.md');
 * // { install: { packages: ['@tokenwise/core', '@tokenwise/ky-auth', 'ky'], dev: false },
 * //   example: { line: 16, code: "import { clientCredentials, … } from '@tokenwise/core'; …" } }
 */
export function readmeExample(path) {
  const blocks = fencedBlocks(readFileSync(path, 'utf8'));
  const installLine = blocks
    .filter((block) => block.language === 'sh')
    .flatMap((block) => block.code.split('\n'))
    .find((line) => /^npm install /.test(line));
  if (installLine === undefined)
    throw new Error(`${path}: no \`npm install …\` line in a sh block`);
  const words = installLine.trim().split(/\s+/).slice(2);
  const example = blocks.find((block) => block.language === 'ts');
  if (example === undefined) throw new Error(`${path}: no ts code block`);
  return {
    install: {
      packages: words.filter((word) => !word.startsWith('-')),
      dev: words.some((word) => word === '-D' || word === '--save-dev'),
    },
    example,
  };
}

/**
 * The example with its token URL and API origin replaced by the local ones. Throws when the
 * example names another example.com host, which the rehearsal could not answer.
 *
 * @example
 * localize(example.code, { tokenUrl: 'http://127.0.0.1:4000/token', api: 'http://127.0.0.1:4000/api' });
 */
export function localize(code, local) {
  let localized = code;
  for (const [key, readmeUrl] of Object.entries(HOSTS))
    localized = localized.split(readmeUrl).join(local[key]);
  const unknown = /https?:\/\/[\w.-]*example\.com[^\s'"`]*/.exec(localized);
  if (unknown)
    throw new Error(`the example calls ${unknown[0]}, which the rehearsal does not serve`);
  return localized;
}
