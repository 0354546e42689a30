/** The registry's idle sweep never keeps a process alive: a real child process that must exit. */
import { fileURLToPath } from 'node:url';
import { runScript } from '@tokenwise/test-kit';
import { expect, it } from 'vitest';

/** The package's entry point in the sources, for a script to import: Node strips the types. */
const entry = new URL('./index.ts', import.meta.url);

it('lets a process exit while the registry holds managers and its sweep is pending', async () => {
  const script = `
    const { createTokenManager, createTokenRegistry, clientCredentials } = await import(${JSON.stringify(entry.href)});
    const fetch = async () => Response.json({ access_token: 'a', expires_in: 3600 });
    const tenants = createTokenRegistry({
      create: (tenant) => createTokenManager({
        flow: clientCredentials({ tokenUrl: 'https://auth.example.com/token', clientId: tenant, clientSecret: 's' }),
        fetch,
      }),
      idleTimeoutMs: 3_600_000,
    });
    const token = await tenants.get('acme').getToken();
    tenants.get('globex');
    console.log(token.accessToken, tenants.size);
  `;
  const here = fileURLToPath(new URL('.', import.meta.url));
  const { code, signal, stdout, stderr } = await runScript(script, [], {
    cwd: here,
    killAfterMs: 5_000,
  });
  expect({ code, signal, stdout }, stderr).toEqual({ code: 0, signal: null, stdout: 'a 2' });
}, 10_000);
