import { parseArgs } from 'node:util';
import { createAuthFetch, createTokenManager } from '@tokenwise/core';
import { demoClients } from './clients.ts';
import { startDemoServer } from './demo-server.ts';
import { type ProviderSettings, presets, type ResolvedSettings, settingNames } from './presets.ts';
import { formatReport } from './report.ts';
import { runScenario } from './scenario.ts';

const keys = [
  'tokenUrl',
  'clientId',
  'clientSecret',
  'scope',
  'apiUrl',
  'tenantId',
  'tenantRegion',
  'code',
  'redirectUri',
] as const satisfies readonly (keyof ProviderSettings)[];

const help = `tokenwise demo

Usage:
  pnpm demo                      the tour: fetch, axios, got and ky against an embedded
                                 loopback token server and API, with a report
  pnpm demo --preset <vendor>    get a token from a real provider (settings below)
  pnpm demo --help               this text

Real providers. Each setting is a flag or an environment variable (secrets are never printed):
${keys.map((key) => `  ${settingNames(key).flag.padEnd(16)} ${settingNames(key).env}`).join('\n')}
Setting TOKEN_URL (or --token-url) without --preset uses the generic preset.

Presets (--preset):
${presets.map((p) => `  ${p.name.padEnd(10)} ${p.summary}\n${''.padEnd(13)}needs: ${p.needs.map((k) => settingNames(k).env).join(', ')}`).join('\n')}

The tour exits 0 only if every step behaved as tokenwise promises; a real provider run exits 0
when a token was obtained (and API_URL, if given, answered 2xx).`;

const { values: parsed } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h' },
    preset: { type: 'string' },
    ...Object.fromEntries(
      keys.map((key) => [settingNames(key).flag.slice(2), { type: 'string' as const }]),
    ),
  },
});

const values = parsed as Record<string, string | boolean | undefined>;
const flagValue = (name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

async function tour(): Promise<number> {
  const server = await startDemoServer();
  const live = process.stderr.isTTY === true;
  // A progress line on a terminal; plain lines otherwise (CI logs, pipes).
  const progress = (client: string) => (step: string) =>
    process.stderr.write(live ? `\r\x1b[2K… ${client}: ${step}` : `… ${client}: ${step}\n`);
  try {
    process.stdout.write(
      `tokenwise demo: token server and API on ${server.url} (loopback only)\n\n`,
    );
    const results = [];
    for (const client of demoClients)
      results.push(...(await runScenario(client, server, progress(client.name))));
    if (live) process.stderr.write('\r\x1b[2K');
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

async function realProvider(presetName: string): Promise<number> {
  const preset = presets.find((p) => p.name === presetName);
  if (preset === undefined) {
    process.stderr.write(
      `unknown preset '${presetName}': one of ${presets.map((p) => p.name).join(', ')}\n`,
    );
    return 2;
  }
  const settings = Object.fromEntries(
    keys.map((key) => [
      key,
      flagValue(settingNames(key).flag.slice(2)) ?? process.env[settingNames(key).env] ?? '',
    ]),
  ) as ResolvedSettings;
  const missing = preset.needs.filter((key) => !settings[key]);
  if (missing.length > 0) {
    process.stderr.write(
      `preset '${preset.name}' needs ${missing.map((k) => settingNames(k).env).join(', ')} (see --help)\n`,
    );
    return 2;
  }
  const tokens = createTokenManager({
    flow: preset.flow(settings),
    ...(preset.refreshAheadMs === undefined ? {} : { refreshAheadMs: preset.refreshAheadMs }),
  });
  try {
    const token = await tokens.getToken();
    const expires =
      token.expiresAt === undefined ? 'unknown' : new Date(token.expiresAt).toISOString();
    process.stdout.write(
      `${preset.name}: token obtained (${token.tokenType}, expires ${expires}, scope ${token.scope ?? 'none'})\n`,
    );
    if (settings.apiUrl) {
      const headers = preset.headers?.(settings);
      const authedFetch = createAuthFetch({
        tokens,
        ...(headers === undefined ? {} : { headers }),
      });
      const res = await authedFetch(settings.apiUrl);
      process.stdout.write(`GET ${settings.apiUrl} → ${res.status}\n`);
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
} else if (flagValue('preset') || flagValue('token-url') || process.env.TOKEN_URL) {
  process.exitCode = await realProvider(flagValue('preset') ?? 'generic');
} else {
  process.exitCode = await tour();
}
