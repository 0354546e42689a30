/**
 * CommonJS consumers: every published package is ESM only, and Node ≥ 22.12 loads ESM with
 * `require()` (no flag). A CommonJS script in this package requires each one and uses it.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

const script = `
const { clientCredentials, createTokenManager, TokenwiseError } = require('@tokenwise/core');
const { axiosAuth } = require('@tokenwise/axios-auth');
const { gotAuth } = require('@tokenwise/got-auth');
const { kyAuth } = require('@tokenwise/ky-auth');
const tokens = createTokenManager({
  flow: clientCredentials({ tokenUrl: 'https://auth.example.com/token', clientId: 'c', clientSecret: 's' }),
  fetch: async () => Response.json({ access_token: 'cjs-token', expires_in: 60 }),
});
tokens.getToken().then(async (token) => {
  const shapes = [typeof axiosAuth, typeof gotAuth(({ tokens })).hooks, typeof kyAuth({ tokens }).hooks];
  console.log(JSON.stringify({ token: token.accessToken, shapes, guard: new Error('x') instanceof TokenwiseError }));
  await tokens.close();
});
`;

describe('require()', () => {
  it('loads every package from a CommonJS script on this Node', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--input-type=commonjs', '--eval', script],
      { cwd: here },
    );
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      token: 'cjs-token',
      shapes: ['function', 'object', 'object'],
      guard: false,
    });
  });
});
