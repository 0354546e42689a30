import { type StepResult, steps } from './scenario.ts';

const dash = '–';

/** The table's columns: title, what the figure means (the legend), and the cell. */
const columns: readonly [title: string, meaning: string, cell: (r: StepResult) => string][] = [
  ['client', '', (r) => r.client],
  ['step', '', (r) => r.step],
  ['requests', 'API requests the client sent', (r) => String(r.requests)],
  ['ok', 'of those, answered 200', (r) => String(r.succeeded)],
  ['token req', 'requests to the token endpoint', (r) => String(r.tokenRequests)],
  [
    '401s',
    'API answers 401 (each request is re-sent once, with a fresh token)',
    (r) => String(r.retried401),
  ],
  [
    'waited',
    'requests that waited for a token request (a cached token is handed out at once)',
    (r) => (r.waited === undefined ? dash : String(r.waited)),
  ],
  [
    'p50 ms',
    'median time of a request, in milliseconds',
    (r) => (r.requests === 0 ? dash : r.p50Ms.toFixed(1)),
  ],
  ['result', 'PASS when the step behaved as tokenwise promises', (r) => (r.ok ? 'PASS' : 'FAIL')],
];

/**
 * Renders the results as an aligned table with a titled column for every figure, then, once each:
 * what the columns mean, what each step does, the error a caller saw with the wrong secret, and why
 * a failed step failed.
 */
export function formatReport(results: readonly StepResult[]): string {
  const rows = [
    columns.map(([title]) => title),
    ...results.map((r) => columns.map(([, , cell]) => cell(r))),
  ];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const legend = columns.filter(([, meaning]) => meaning !== '');
  const titleWidth = Math.max(...legend.map(([title]) => title.length));
  const stepWidth = Math.max(...steps.map((s) => s.name.length));
  const errors = new Map<string, string[]>();
  for (const r of results)
    if (r.error !== undefined) errors.set(r.error, [...(errors.get(r.error) ?? []), r.client]);
  const failed = results.filter((r) => !r.ok);
  return [
    line(rows[0] ?? []),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `Columns (${dash}: not measured in that step):`,
    ...legend.map(([title, meaning]) => `  ${title.padEnd(titleWidth)}  ${meaning}`),
    '',
    'Steps, for each client:',
    ...steps.map((s) => `  ${s.name.padEnd(stepWidth)}  ${s.summary}`),
    ...(errors.size === 0
      ? []
      : [
          '',
          'The error a caller saw with the wrong secret:',
          ...[...errors].map(([error, clients]) => `  ${clients.join(', ')}: ${error}`),
        ]),
    ...(failed.length === 0
      ? []
      : ['', 'Failed:', ...failed.map((r) => `  ${r.client} / ${r.step}: ${r.note}`)]),
  ].join('\n');
}
