import { describe, expect, it } from 'vitest';
import { formatReport } from './report.ts';
import { type StepResult, steps } from './scenario.ts';

const result = (overrides: Partial<StepResult>): StepResult => ({
  client: 'fetch',
  step: 'cold start',
  requests: 50,
  succeeded: 50,
  tokenRequests: 1,
  retried401: 0,
  waited: 50,
  p50Ms: 12.34,
  ok: true,
  note: 'expected 1 token request',
  ...overrides,
});

const error = 'TokenEndpointError: Token endpoint answered 401 (invalid_client)';
const results = ['fetch', 'axios'].flatMap((client) => [
  result({ client }),
  result({ client, step: 'wrong secret', requests: 1, succeeded: 0, waited: undefined, error }),
]);

describe('formatReport', () => {
  it('titles every column, the result column too', () => {
    const [header = '', rule = ''] = formatReport(results).split('\n');
    const titles = header.split(/\s{2,}/);
    expect(titles).toEqual([
      'client',
      'step',
      'requests',
      'ok',
      'token req',
      '401s',
      'waited',
      'p50 ms',
      'result',
    ]);
    // One rule per titled column, none for an untitled one.
    expect(rule.split('  ')).toHaveLength(titles.length);
  });

  it('explains each figure once, in a legend below the table', () => {
    const text = formatReport(results);
    for (const title of ['requests', 'ok', 'token req', '401s', 'waited', 'p50 ms', 'result'])
      expect(text.match(new RegExp(`^  ${title} +\\S`, 'gm'))).toHaveLength(1);
    expect(text).toContain('median time of a request, in milliseconds');
  });

  it('describes each step once, not on every row', () => {
    const text = formatReport(results);
    for (const step of steps) expect(text.split(step.summary)).toHaveLength(2);
    expect(text).not.toContain('expected 1 token request');
  });

  it('shows an error once with the clients that saw it, and a dash for what was not measured', () => {
    const text = formatReport(results);
    expect(text.split(error)).toHaveLength(2);
    expect(text).toContain(`  fetch, axios: ${error}`);
    const row = text.split('\n').find((line) => line.startsWith('axios   wrong secret'));
    expect(row?.split(/\s{2,}/)).toEqual([
      'axios',
      'wrong secret',
      '1',
      '0',
      '1',
      '0',
      '–',
      '12.3',
      'PASS',
    ]);
  });

  it('says why a failed step failed', () => {
    const text = formatReport([result({ ok: false, note: 'expected 1 token request, got 2' })]);
    expect(text).toMatch(/FAIL$/m);
    expect(text).toContain('Failed:\n  fetch / cold start: expected 1 token request, got 2');
  });
});
