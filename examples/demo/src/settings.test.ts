import { describe, expect, it } from 'vitest';
import { parseCommandLine, settingNames, UsageError } from './settings.ts';

const parse = (args: string[], env: Record<string, string> = {}) => parseCommandLine(args, env);

describe('parseCommandLine', () => {
  it('runs the tour without settings, and the help with --help or -h', () => {
    expect(parse([])).toEqual({ kind: 'tour', events: false });
    expect(parse(['--events'])).toEqual({ kind: 'tour', events: true });
    expect(parse(['--help'])).toEqual({ kind: 'help' });
    expect(parse(['-h'])).toEqual({ kind: 'help' });
  });

  it('reads settings from TOKENWISE_ variables; a flag wins over its variable', () => {
    const command = parse(['--client-id', 'from-flag'], {
      TOKENWISE_TOKEN_URL: 'https://auth.example.com/token',
      TOKENWISE_CLIENT_ID: 'from-env',
      TOKENWISE_CLIENT_SECRET: 's3cret',
      CLIENT_SECRET: 'not ours',
    });
    expect(command).toMatchObject({
      kind: 'provider',
      preset: 'generic',
      settings: {
        tokenUrl: 'https://auth.example.com/token',
        clientId: 'from-flag',
        clientSecret: 's3cret',
      },
    });
  });

  it('has no flag for a secret', () => {
    expect(settingNames('clientSecret')).toEqual({ env: 'TOKENWISE_CLIENT_SECRET' });
    expect(settingNames('code')).toEqual({ env: 'TOKENWISE_CODE' });
    expect(settingNames('tokenUrl')).toEqual({
      flag: '--token-url',
      env: 'TOKENWISE_TOKEN_URL',
    });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--bogus=1'], 'unknown option --bogus'],
    [
      ['--client-secret', 'hunter2'],
      '--client-secret is not a flag: secrets are read from TOKENWISE_CLIENT_SECRET or a prompt',
    ],
    [
      ['--client-secret=hunter2'],
      '--client-secret is not a flag: secrets are read from TOKENWISE_CLIENT_SECRET or a prompt',
    ],
    [
      ['--code', 'hunter2'],
      '--code is not a flag: secrets are read from TOKENWISE_CODE or a prompt',
    ],
    [['--preset'], '--preset needs a value'],
    [['hunter2'], 'unexpected argument: the demo takes flags only'],
    [
      ['--token-url', 'http://auth.example.com/token'],
      '--token-url (TOKENWISE_TOKEN_URL) must use https: (http: is for loopback hosts only, got auth.example.com)',
    ],
    [
      ['--api-url', 'http://10.0.0.1:8080/me'],
      '--api-url (TOKENWISE_API_URL) must use https: (http: is for loopback hosts only, got 10.0.0.1:8080)',
    ],
    [
      ['--token-url', 'ftp://auth.example.com/'],
      '--token-url (TOKENWISE_TOKEN_URL) must use https: (got ftp:)',
    ],
    [['--token-url', 'auth.example.com/token'], '--token-url (TOKENWISE_TOKEN_URL) is not a URL'],
  ])('rejects %j with one line that never repeats a secret', (args, message) => {
    let thrown: unknown;
    try {
      parse(args);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toBe(message);
    expect((thrown as Error).message).not.toContain('hunter2');
  });

  it('rejects an http: URL off loopback from the environment too', () => {
    expect(() => parse([], { TOKENWISE_TOKEN_URL: 'http://auth.example.com/token' })).toThrow(
      UsageError,
    );
  });

  it.each([
    'http://127.0.0.1:8080/token',
    'http://127.1.2.3/token',
    'http://localhost:3000/token',
    'http://auth.localhost/token',
    'http://[::1]:8080/token',
    'https://auth.example.com/token',
  ])('accepts %s', (url) => {
    expect(parse(['--token-url', url])).toMatchObject({ kind: 'provider' });
  });
});
