import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, demoClient, startDemoServer } from './demo-server.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

function runDemo(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Settings of the developer's own shell must not leak into these runs.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TOKENWISE_')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [main, ...args],
      { env: { ...inherited, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
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
    // The figures are explained once, below the table.
    expect(stdout).toContain('\nColumns (');
    expect(stdout.split('median time of a request')).toHaveLength(2);
  });

  it('prints every event with --events, then one token life from obtained to invalidated', async () => {
    const { code, stdout } = await runDemo(['--events']);
    expect(code).toBe(0);
    const events = stdout
      .split('\n')
      .filter((line) => line.startsWith('[event] '))
      .map(
        (line) =>
          JSON.parse(line.replace(/^\[event\] \S+ /, '')) as { type: string; grant: string },
      );
    expect(events.length).toBeGreaterThan(100);
    const life = events
      .filter((event) => event.grant === 'refresh_token')
      .map((event) => event.type);
    for (const type of [
      'token.obtained',
      'token.cache_hit',
      'token.refresh_ahead',
      'token.refresh_token_rotated',
      'token.invalidated',
    ])
      expect(life).toContain(type);
    expect(life.indexOf('token.refresh_ahead')).toBeLessThan(
      life.lastIndexOf('token.refresh_token_rotated'),
    );
    expect(stdout).not.toContain('demo-secret-do-not-print');
    expect(stdout).not.toMatch(/demo-(token|refresh)-\d/);
    expect(stdout).toContain('All steps behaved.');
  });

  it('explains itself with --help', async () => {
    const { code, stdout } = await runDemo(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('TOKENWISE_TOKEN_URL');
    expect(stdout).toMatch(/TOKENWISE_CLIENT_SECRET +\(secret: no flag\)/);
  });

  it.each([
    [['--bogus'], 'demo: unknown option --bogus (see pnpm demo --help)'],
    [
      ['--token-url', 'http://auth.example.com/token'],
      'demo: --token-url (TOKENWISE_TOKEN_URL) must use https: (http: is for loopback hosts only, got auth.example.com) (see pnpm demo --help)',
    ],
    [
      ['--client-secret', 'real-secret-value'],
      'demo: --client-secret is not a flag: secrets are read from TOKENWISE_CLIENT_SECRET or a prompt (see pnpm demo --help)',
    ],
    [
      ['--preset', 'nope'],
      "demo: unknown preset 'nope': one of generic, pa, priava, papaya, personify, partner (see pnpm demo --help)",
    ],
  ])('answers bad input %j with one line on stderr and exit code 2', async (args, line) => {
    const { code, stdout, stderr } = await runDemo(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
  });

  it('does not ask for a missing secret without a terminal: it names the variable', async () => {
    const { code, stderr } = await runDemo(['--token-url', 'https://auth.example.com/token'], {
      TOKENWISE_CLIENT_ID: 'id',
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      "demo: preset 'generic' needs TOKENWISE_CLIENT_SECRET (see pnpm demo --help)\n",
    );
  });

  it('reports a typed error, without the secret, against an unreachable real provider', async () => {
    const { code, stdout } = await runDemo([], {
      TOKENWISE_TOKEN_URL: 'http://127.0.0.1:9/token',
      TOKENWISE_CLIENT_ID: 'id',
      TOKENWISE_CLIENT_SECRET: 'real-secret-value',
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
      const { code, stdout, stderr } = await runDemo([], {
        TOKENWISE_TOKEN_URL: `${server.url}/oauth/token`,
        TOKENWISE_CLIENT_ID: demoClient.id,
        TOKENWISE_CLIENT_SECRET: demoClient.secret,
        TOKENWISE_API_URL: `${server.url}/api/me`,
      });
      expect(stdout).toContain('generic: token obtained (Bearer');
      expect(stdout).toContain(`GET ${server.url}/api/me → 200`);
      expect(code).toBe(0);
      expect(`${stdout}${stderr}`).not.toContain(demoClient.secret);
      expect(stdout).not.toMatch(/demo-token-\d/);
    });

    it('takes flags for non-secret settings, and a preset with the vendor settings it needs', async () => {
      const args = ['--preset', 'personify', '--token-url', `${server.url}/oauth/token`];
      const secret = { TOKENWISE_CLIENT_SECRET: demoClient.secret };
      const missing = await runDemo([...args, '--client-id', demoClient.id], secret);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(
        "demo: preset 'personify' needs TOKENWISE_TENANT_ID (see pnpm demo --help)\n",
      );
      const { code, stdout, stderr } = await runDemo(
        [
          ...args,
          '--client-id',
          demoClient.id,
          '--tenant-id',
          'tenant-7',
          '--api-url',
          `${server.url}/api/members`,
        ],
        secret,
      );
      expect(stdout).toContain('personify: token obtained');
      expect(code).toBe(0);
      expect(`${stdout}${stderr}`).not.toContain(demoClient.secret);
    });
  });
});
