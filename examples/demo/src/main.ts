import { createAuthFetch, createTokenManager, type TokenManager } from '@tokenwise/core';
import { demoClients } from './clients.ts';
import { startDemoServer } from './demo-server.ts';
import { formatEvent, printEvents } from './event-stream.ts';
import { type Preset, type ProviderSettings, presets, type ResolvedSettings } from './presets.ts';
import { promptSecret } from './prompt.ts';
import { formatReport } from './report.ts';
import { runScenario } from './scenario.ts';
import {
  type Command,
  isSecret,
  parseCommandLine,
  settingKeys,
  settingNames,
  UsageError,
} from './settings.ts';
import { tokenLife } from './token-life.ts';

const help = `tokenwise demo

Usage:
  pnpm demo                      the tour: fetch, axios, got and ky against an embedded
                                 loopback token server and API, with a report
  pnpm demo --events             the tour printing every token manager's events, then one
                                 token's life (obtained, served, renewed ahead, rotated,
                                 invalidated) told by its events
  pnpm demo --preset <vendor>    get a token from a real provider (settings below)
  pnpm demo --help               this text

Real providers. Each setting is an environment variable or a flag; secrets are environment
variables only, asked for on the terminal when missing, and never printed:
${settingKeys
  .map((key) => {
    const { flag, env } = settingNames(key);
    return `  ${env.padEnd(26)} ${flag ?? '(secret: no flag)'}`;
  })
  .join('\n')}
Setting TOKENWISE_TOKEN_URL (or --token-url) without --preset uses the generic preset. URLs must
use https: (http: only for loopback hosts).

Presets (--preset):
${presets.map((p) => `  ${p.name.padEnd(10)} ${p.summary}\n${''.padEnd(13)}needs: ${p.needs.map((k) => settingNames(k).env).join(', ')}`).join('\n')}

Exit codes: 0 when every tour step behaved (a real provider run: a token was obtained and the API
URL, if given, answered 2xx); 1 when not; 2 for bad input (flags, settings, URLs).`;

async function tour(events: boolean): Promise<number> {
  const server = await startDemoServer();
  const line = (text: string) => process.stdout.write(`${text}\n`);
  const stopPrinting = events ? printEvents(line) : () => {};
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
    stopPrinting();
    if (events) {
      line(
        "One token's life (4 s tokens, renewed from 2 s before expiry, rotating refresh tokens):",
      );
      await tokenLife(server, (event) => line(formatEvent(event)));
      line('');
    }
    const failed = results.filter((r) => !r.ok);
    process.stdout.write(
      failed.length === 0 ? 'All steps behaved.\n' : `${failed.length} step(s) failed.\n`,
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    stopPrinting();
    await server.close();
  }
}

async function realProvider(
  presetName: string,
  given: Record<keyof ProviderSettings, string | undefined>,
): Promise<number> {
  const preset = presets.find((p) => p.name === presetName);
  if (preset === undefined) {
    throw new UsageError(
      `unknown preset '${presetName}': one of ${presets.map((p) => p.name).join(', ')}`,
    );
  }
  const settings = { ...given };
  // A secret the preset needs and the environment lacks is asked for on a terminal.
  for (const key of preset.needs) {
    if (settings[key] === undefined && isSecret(key))
      settings[key] = (await promptSecret(`${settingNames(key).env}: `)) || undefined;
  }
  const missing = preset.needs.filter((key) => settings[key] === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `preset '${preset.name}' needs ${missing.map((k) => settingNames(k).env).join(', ')}`,
    );
  }
  const resolved = Object.fromEntries(
    settingKeys.map((key) => [key, settings[key] ?? '']),
  ) as ResolvedSettings;
  const tokens = managerFor(preset, resolved);
  try {
    const token = await tokens.getToken();
    const expires =
      token.expiresAt === undefined ? 'unknown' : new Date(token.expiresAt).toISOString();
    process.stdout.write(
      `${preset.name}: token obtained (${token.tokenType}, expires ${expires}, scope ${token.scope ?? 'none'})\n`,
    );
    if (resolved.apiUrl) {
      const headers = preset.headers?.(resolved);
      const authedFetch = createAuthFetch({
        tokens,
        ...(headers === undefined ? {} : { headers }),
      });
      const res = await authedFetch(resolved.apiUrl);
      process.stdout.write(`GET ${resolved.apiUrl} → ${res.status}\n`);
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

/** The preset's manager; core's checks of the settings (a TypeError or RangeError) are bad input. */
function managerFor(preset: Preset, settings: ResolvedSettings): TokenManager {
  try {
    return createTokenManager({
      flow: preset.flow(settings),
      ...(preset.refreshAheadMs === undefined ? {} : { refreshAheadMs: preset.refreshAheadMs }),
    });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError)
      throw new UsageError(error.message, { cause: error });
    throw error;
  }
}

async function run(command: Command): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${help}\n`);
      return 0;
    case 'tour':
      return tour(command.events);
    case 'provider':
      return realProvider(command.preset, command.settings);
  }
}

// Bad input is one line on stderr and exit code 2; anything else unexpected is one line and 1.
// Never a stack trace: the demo's errors are for its user, not for us.
try {
  process.exitCode = await run(parseCommandLine(process.argv.slice(2), process.env));
} catch (error) {
  const usage = error instanceof UsageError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `demo: ${message.split('\n')[0]}${usage ? ' (see pnpm demo --help)' : ''}\n`,
  );
  process.exitCode = usage ? 2 : 1;
}
