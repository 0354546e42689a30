import type { StepResult } from './scenario.ts';

const columns: [string, (r: StepResult) => string][] = [
  ['client', (r) => r.client],
  ['step', (r) => r.step],
  ['requests', (r) => String(r.requests)],
  ['ok', (r) => String(r.succeeded)],
  ['token req', (r) => String(r.tokenRequests)],
  ['401 retried', (r) => String(r.retried401)],
  ['waited', (r) => String(r.waited)],
  ['p50 ms', (r) => r.p50Ms.toFixed(1)],
  ['', (r) => (r.ok ? 'PASS' : 'FAIL')],
];

/** Renders the results as an aligned text table, with each step's note below the table. */
export function formatReport(results: StepResult[]): string {
  const rows = [
    columns.map(([title]) => title),
    ...results.map((r) => columns.map(([, cell]) => cell(r))),
  ];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = results.map((r) => `  ${r.client} / ${r.step}: ${r.note}`);
  return [
    line(rows[0] ?? []),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    ...notes,
  ].join('\n');
}
