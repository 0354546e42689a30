import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';
const names = process.argv[2].split(',');
const work = mkdtempSync('/tmp/s4/b-');
const entry = join(work, 'index.js');
writeFileSync(entry, `import { ${names.join(',')} } from '/work/main/packages/core/src/index.ts'\nconsole.log(${names.join(',')})\n`);
const bundle = await build({ input: entry, treeshake: true, write: false, external: [/^node:/],
  output: { dir: join(work, 'out'), minify: true, comments: { annotation: false } } });
const rows = [];
let total = 0, totalStart = 0;
for (const f of bundle.output) if (f.type === 'chunk') {
  const gz = gzipSync(f.code, { level: 9 }).length;
  console.log('chunk', f.fileName, f.isEntry ? 'ENTRY' : '', 'min', f.code.length, 'gz', gz, 'imports', f.imports.join(' '));
  for (const [id, m] of Object.entries(f.modules)) rows.push([f.fileName, id.replace('/work/main/packages/core/src/', ''), m.renderedLength]);
}
rows.sort((a, b) => b[2] - a[2]);
for (const r of rows) if (r[2] > 0) console.log(r[2].toString().padStart(6), r[0].padEnd(24), r[1]);
