import { parseArgs } from 'node:util';
import type { ProviderSettings } from './presets.ts';

/** Bad input on the command line or in the environment: one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Every setting of a real-provider run, in `--help` order. */
export const settingKeys = [
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

/**
 * Settings that are credentials: read from the environment or a prompt, never from a flag, since a
 * flag's value is echoed by shells, `ps` and package managers.
 */
const secretKeys: ReadonlySet<keyof ProviderSettings> = new Set(['clientSecret', 'code']);

/** The environment variable of a setting, and its flag unless it is a secret. */
export function settingNames(key: keyof ProviderSettings): { flag?: string; env: string } {
  const env = `TOKENWISE_${kebab(key).replaceAll('-', '_').toUpperCase()}`;
  return secretKeys.has(key) ? { env } : { flag: `--${kebab(key)}`, env };
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Whether a setting is a credential (environment variable or prompt only). */
export function isSecret(key: keyof ProviderSettings): boolean {
  return secretKeys.has(key);
}

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'tour'; readonly events: boolean }
  | {
      readonly kind: 'provider';
      readonly preset: string;
      readonly settings: Record<keyof ProviderSettings, string | undefined>;
    };

const flagKeys = settingKeys.filter((key) => !isSecret(key));

/**
 * Reads the command line and the environment. Throws a {@link UsageError} for an unknown or
 * malformed flag, a secret given as a flag, or a URL that is not `https:` (`http:` is accepted for
 * loopback hosts only).
 */
export function parseCommandLine(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Command {
  const values = parseFlags(args);
  if (values.help === true) return { kind: 'help' };
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const settings = Object.fromEntries(
    settingKeys.map((key) => {
      const { flag, env: name } = settingNames(key);
      return [
        key,
        (flag === undefined ? undefined : text(flag.slice(2))) ?? (env[name] || undefined),
      ];
    }),
  ) as Record<keyof ProviderSettings, string | undefined>;
  for (const key of ['tokenUrl', 'apiUrl'] as const) checkUrl(key, settings[key]);
  const preset = text('preset');
  if (preset === undefined && settings.tokenUrl === undefined)
    return { kind: 'tour', events: values.events === true };
  return { kind: 'provider', preset: preset ?? 'generic', settings };
}

function parseFlags(args: readonly string[]): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        events: { type: 'boolean' },
        preset: { type: 'string' },
        ...Object.fromEntries(
          flagKeys.map((key) => [settingNames(key).flag?.slice(2), { type: 'string' as const }]),
        ),
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']*)'/.exec(String((error as Error).message))?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = quoted.split('=')[0] ?? quoted;
    const secret = settingKeys.find((key) => isSecret(key) && `--${kebab(key)}` === name);
    return secret === undefined
      ? `unknown option ${name}`
      : `${name} is not a flag: secrets are read from ${settingNames(secret).env} or a prompt`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return `${quoted.split(' ')[0] || 'an option'} needs a value`;
  // Not the argument itself: it may be a secret typed in the wrong place.
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return 'unexpected argument: the demo takes flags only';
  return 'bad arguments';
}

/** `https:`, or `http:` to a loopback host; names the setting (flag and variable) otherwise. */
function checkUrl(key: 'tokenUrl' | 'apiUrl', value: string | undefined): void {
  if (value === undefined) return;
  const { flag, env } = settingNames(key);
  const where = `${flag} (${env})`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${where} is not a URL`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw new UsageError(
    url.protocol === 'http:'
      ? `${where} must use https: (http: is for loopback hosts only, got ${url.host})`
      : `${where} must use https: (got ${url.protocol})`,
  );
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`: the hosts core accepts over `http:`. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]'
  );
}
