import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function runDemo(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
      },
    );
  });
}

describe('pnpm demo', () => {
  it('runs every step against the embedded server and exits 0 with a passing report', async () => {
    const { code, stdout } = await runDemo([]);
    expect(stdout).toContain('All steps behaved.');
    expect(code).toBe(0);
    const rows = stdout
      .split('\n')
      .filter((line) =>
        /^\S+\s+(cold start|401 storm|background renewal|wrong secret)\b/.test(line),
      );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row.trimEnd().endsWith('PASS')).toBe(true);
    const cold = rows.find((row) => row.includes('cold start'))?.split(/\s{2,}/);
    // client, step, requests, ok, token requests
    expect(cold?.slice(2, 5)).toEqual(['50', '50', '1']);
    expect(stdout).toContain('TokenEndpointError');
    expect(stdout).not.toContain('not-the-secret');
    expect(stdout).not.toContain('demo-secret-do-not-print');
  });

  it('explains itself with --help', async () => {
    const { code, stdout } = await runDemo(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('TOKEN_URL');
  });

  it('reports a typed error, without the secret, against an unreachable real provider', async () => {
    const { code, stdout } = await runDemo([], {
      TOKEN_URL: 'http://127.0.0.1:9/token',
      CLIENT_ID: 'id',
      CLIENT_SECRET: 'real-secret-value',
    });
    expect(code).toBe(1);
    expect(stdout).toContain('TokenRequestError');
    expect(stdout).not.toContain('real-secret-value');
  });
});
