import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, demoClient, startDemoServer } from './demo-server.ts';

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
    // Four steps for each of fetch, axios, got and ky.
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(
      ['fetch', 'axios', 'got', 'ky'].flatMap((client) => Array(4).fill(client)),
    );
    for (const row of rows) expect(row.trimEnd().endsWith('PASS')).toBe(true);
    for (const row of rows.filter((r) => r.includes('cold start') || r.includes('401 storm'))) {
      // client, step, requests, ok, token requests
      expect(row.split(/\s{2,}/).slice(2, 5)).toEqual(['50', '50', '1']);
    }
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

  describe('against a real provider', () => {
    let server: DemoServer;
    beforeAll(async () => {
      server = await startDemoServer();
    });
    afterAll(() => server.close());

    it('gets a token and calls API_URL from environment variables, never printing the secret', async () => {
      const { code, stdout } = await runDemo([], {
        TOKEN_URL: `${server.url}/oauth/token`,
        CLIENT_ID: demoClient.id,
        CLIENT_SECRET: demoClient.secret,
        API_URL: `${server.url}/api/me`,
      });
      expect(stdout).toContain('generic: token obtained (Bearer');
      expect(stdout).toContain(`GET ${server.url}/api/me → 200`);
      expect(code).toBe(0);
      expect(stdout).not.toContain(demoClient.secret);
      expect(stdout).not.toMatch(/demo-token-\d/);
    });

    it('takes flags, and a preset with the vendor settings it needs', async () => {
      const args = ['--preset', 'personify', '--token-url', `${server.url}/oauth/token`];
      const missing = await runDemo([
        ...args,
        '--client-id',
        demoClient.id,
        '--client-secret',
        demoClient.secret,
      ]);
      expect(missing.code).toBe(2);
      const { code, stdout } = await runDemo([
        ...args,
        '--client-id',
        demoClient.id,
        '--client-secret',
        demoClient.secret,
        '--tenant-id',
        'tenant-7',
        '--api-url',
        `${server.url}/api/members`,
      ]);
      expect(stdout).toContain('personify: token obtained');
      expect(code).toBe(0);
    });
  });
});
