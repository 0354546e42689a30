import { parseArgs } from 'node:util';
import { clientCredentials, createAuthFetch, createTokenManager } from '@tokenwise/core';
import { startDemoServer } from './demo-server.ts';
import { formatReport } from './report.ts';
import { type DemoClient, fetchClient, runScenario } from './scenario.ts';

const help = `tokenwise demo

Usage:
  pnpm demo                 run the tour on an embedded loopback token server and API
  pnpm demo --help          this text

Against a real provider (client credentials), from flags or environment variables:
  --token-url   TOKEN_URL      the token endpoint
  --client-id   CLIENT_ID
  --client-secret CLIENT_SECRET (never printed)
  --scope       SCOPE          optional
  --api-url     API_URL        a protected URL to GET with the token

Exit code 0 only if every step behaved as tokenwise promises.`;

const { values } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h' },
    'token-url': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    scope: { type: 'string' },
    'api-url': { type: 'string' },
  },
});

const clients: DemoClient[] = [fetchClient];

async function embedded(): Promise<number> {
  const server = await startDemoServer();
  const progress = (client: string) => (step: string) =>
    process.stderr.write(`\r\x1b[2K… ${client}: ${step}`);
  try {
    process.stdout.write(
      `tokenwise demo: token server and API on ${server.url} (loopback only)\n\n`,
    );
    const results = [];
    for (const client of clients)
      results.push(...(await runScenario(client, server, progress(client.name))));
    process.stderr.write('\r\x1b[2K');
    process.stdout.write(`${formatReport(results)}\n\n`);
    const failed = results.filter((r) => !r.ok);
    process.stdout.write(
      failed.length === 0 ? 'All steps behaved.\n' : `${failed.length} step(s) failed.\n`,
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    await server.close();
  }
}

async function realProvider(): Promise<number> {
  const tokenUrl = values['token-url'] ?? process.env.TOKEN_URL;
  const clientId = values['client-id'] ?? process.env.CLIENT_ID;
  const clientSecret = values['client-secret'] ?? process.env.CLIENT_SECRET;
  const apiUrl = values['api-url'] ?? process.env.API_URL;
  if (!tokenUrl || !clientId || !clientSecret) {
    process.stderr.write('TOKEN_URL, CLIENT_ID and CLIENT_SECRET are all needed (see --help)\n');
    return 2;
  }
  const tokens = createTokenManager({
    flow: clientCredentials({
      tokenUrl,
      clientId,
      clientSecret,
      scope: values.scope ?? process.env.SCOPE,
    }),
  });
  try {
    const token = await tokens.getToken();
    const expires =
      token.expiresAt === undefined ? 'unknown' : new Date(token.expiresAt).toISOString();
    process.stdout.write(
      `token obtained: ${token.tokenType}, expires ${expires}, scope ${token.scope ?? '(none)'}\n`,
    );
    if (apiUrl) {
      const res = await createAuthFetch({ tokens })(apiUrl);
      process.stdout.write(`GET ${apiUrl} → ${res.status}\n`);
      return res.ok ? 0 : 1;
    }
    return 0;
  } catch (error) {
    process.stdout.write(`${String(error)}\n`);
    return 1;
  } finally {
    await tokens.close();
  }
}

if (values.help) {
  process.stdout.write(`${help}\n`);
} else {
  const real = values['token-url'] ?? process.env.TOKEN_URL;
  process.exitCode = await (real ? realProvider() : embedded());
}
