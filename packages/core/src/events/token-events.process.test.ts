/**
 * What a process sees: `NODE_DEBUG=tokenwise` prints the event stream, and a throwing `onEvent`
 * without `onError` becomes an uncaught exception after the token work is done. Real child
 * processes, on the sources (Node strips the types).
 */
import { fileURLToPath } from 'node:url';
import { runScript, type ScriptRun } from '@tokenwise/test-kit';
import { describe, expect, it } from 'vitest';

const entry = new URL('../index.ts', import.meta.url);
const secret = 'sekrit-client-secret-9f2c';
const accessToken = 'access-token-7d1e-visible-nowhere';

/** A script's preamble: a manager whose token endpoint is a function answering one token. */
const preamble = `
  const { createTokenManager, clientCredentials } = await import(${JSON.stringify(entry.href)});
  const flow = clientCredentials({ tokenUrl: 'https://auth.example.com/token?tenant=t1', clientId: 'c', clientSecret: ${JSON.stringify(secret)} });
  const fetch = async () => Response.json({ access_token: ${JSON.stringify(accessToken)}, refresh_token: 'r-${secret}', expires_in: 3600 });
`;

function runInChild(script: string, env: Record<string, string> = {}): Promise<ScriptRun> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return runScript(preamble + script, [], { cwd: here, killAfterMs: 5_000, env });
}

describe('NODE_DEBUG=tokenwise', () => {
  it('prints each event, as JSON, with no secret', async () => {
    const script = `
      const tokens = createTokenManager({ flow, fetch });
      await tokens.getToken();
      await tokens.getToken();
      await tokens.close();
    `;
    const { code, stderr } = await runInChild(script, { NODE_DEBUG: 'tokenwise' });
    expect(code, stderr).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines.map((line) => line.replace(/^TOKENWISE \d+: (\S+) .*$/, '$1'))).toEqual([
      'token.cache_miss',
      'token.requested',
      'token.obtained',
      'token.cache_hit',
    ]);
    expect(JSON.parse(lines[2]!.replace(/^TOKENWISE \d+: \S+ /, ''))).toMatchObject({
      tokenUrl: 'https://auth.example.com/token',
      status: 200,
    });
    expect(stderr).not.toContain(secret);
    expect(stderr).not.toContain(accessToken);
  });

  it('prints nothing without it', async () => {
    const script = `
      const tokens = createTokenManager({ flow, fetch });
      await tokens.getToken();
    `;
    const { code, stderr } = await runInChild(script, { NODE_DEBUG: 'http' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('a throwing onEvent without onError', () => {
  it('is an uncaught exception once the token is obtained', async () => {
    const script = `
      process.on('uncaughtException', (error) => console.log('uncaught', error.message));
      const tokens = createTokenManager({ flow, fetch, onEvent: (event) => { throw new Error('bug on ' + event.type); } });
      const token = await tokens.getToken();
      console.log('token', token.accessToken === ${JSON.stringify(accessToken)});
      await new Promise((resolve) => setTimeout(resolve, 10));
    `;
    const { code, stdout, stderr } = await runInChild(script);
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'uncaught bug on token.cache_miss',
      'uncaught bug on token.requested',
      'uncaught bug on token.obtained',
      'token true',
    ]);
  });
});
