/**
 * Bad options for createTokenManager: no flow, an http: token URL off loopback, NaN, infinities
 * and out-of-range numbers, a store or fetch that is none. Each throws a TypeError or RangeError
 * at once, naming the option. (token-manager.validation.test.ts covers the common cases; these are the others.)
 */
import { clientCredentials } from './flows/client-credentials.ts';
import { type BadOption, cc, describeBadOptions, flow, loose } from './test-support/bad-options.ts';
import { createTokenManager } from './token-manager.ts';

const cases: BadOption[] = [
  // createTokenManager.
  [
    'createTokenManager()',
    loose(createTokenManager, undefined),
    TypeError,
    /^createTokenManager: options must be an object$/,
  ],
  [
    'createTokenManager("…")',
    loose(createTokenManager, 'https://auth.example.com'),
    TypeError,
    /^createTokenManager: options must be an object$/,
  ],
  [
    'flow missing',
    loose(createTokenManager, {}),
    TypeError,
    /^createTokenManager: flow must be a flow such as clientCredentials\(\{ … \}\)$/,
  ],
  [
    'flow given the flow’s options',
    loose(createTokenManager, { flow: cc }),
    TypeError,
    /flow must be a flow such as clientCredentials/,
  ],
  [
    'an http: token URL off loopback',
    loose(createTokenManager, {
      flow: clientCredentials({ ...cc, tokenUrl: 'http://auth.example.com/token' }),
    }),
    TypeError,
    /^createTokenManager: the token URL must use https: \(got http: for auth\.example\.com\); set allowInsecureHttp: true to allow it$/,
  ],
  [
    'allowInsecureHttp "yes"',
    loose(createTokenManager, {
      flow: clientCredentials({ ...cc, tokenUrl: 'http://auth.example.com/token' }),
      allowInsecureHttp: 'yes',
    }),
    TypeError,
    /allowInsecureHttp: true/,
  ],
  [
    'timeoutMs Infinity',
    loose(createTokenManager, { flow: flow(), timeoutMs: Number.POSITIVE_INFINITY }),
    RangeError,
    /^createTokenManager: timeoutMs must be a number from 1 to 300000, got Infinity$/,
  ],
  [
    'timeoutMs -1',
    loose(createTokenManager, { flow: flow(), timeoutMs: -1 }),
    RangeError,
    /timeoutMs must be a number from 1 to 300000, got -1$/,
  ],
  [
    'retry null',
    loose(createTokenManager, { flow: flow(), retry: null }),
    TypeError,
    /^createTokenManager: retry must be a number, false or an object$/,
  ],
  [
    'retry true',
    loose(createTokenManager, { flow: flow(), retry: true }),
    TypeError,
    /retry must be a number, false or an object$/,
  ],
  [
    'retry.limit NaN',
    loose(createTokenManager, { flow: flow(), retry: { limit: Number.NaN } }),
    RangeError,
    /^createTokenManager: retry\.limit must be an integer from 0 to 10, got NaN$/,
  ],
  [
    'retry.maxDelayMs Infinity',
    loose(createTokenManager, { flow: flow(), retry: { maxDelayMs: Number.POSITIVE_INFINITY } }),
    RangeError,
    /retry\.maxDelayMs must be a number from 0 to 300000, got Infinity$/,
  ],
  [
    'retry.baseDelayMs "250"',
    loose(createTokenManager, { flow: flow(), retry: { baseDelayMs: '250' } }),
    TypeError,
    /retry\.baseDelayMs must be a number, got string$/,
  ],
  [
    'leewayMs NaN',
    loose(createTokenManager, { flow: flow(), leewayMs: Number.NaN }),
    RangeError,
    /leewayMs must be a number from 0 to 3600000, got NaN$/,
  ],
  [
    'refreshAheadMs -Infinity',
    loose(createTokenManager, { flow: flow(), refreshAheadMs: Number.NEGATIVE_INFINITY }),
    RangeError,
    /refreshAheadMs must be a number from 0 to 86400000, got -Infinity$/,
  ],
  [
    'defaultLifetimeMs NaN',
    loose(createTokenManager, { flow: flow(), defaultLifetimeMs: Number.NaN }),
    RangeError,
    /defaultLifetimeMs must be a number from 1 to \d+, got NaN$/,
  ],
  [
    'defaultLifetimeMs -1',
    loose(createTokenManager, { flow: flow(), defaultLifetimeMs: -1 }),
    RangeError,
    /defaultLifetimeMs must be a number from 1 to \d+, got -1$/,
  ],
  [
    'failureBackoffMs "1000"',
    loose(createTokenManager, { flow: flow(), failureBackoffMs: '1000' }),
    TypeError,
    /failureBackoffMs must be a number, got string$/,
  ],
  [
    'lockTtlMs Infinity',
    loose(createTokenManager, { flow: flow(), lockTtlMs: Number.POSITIVE_INFINITY }),
    RangeError,
    /lockTtlMs must be a number from 100 to 3600000, got Infinity$/,
  ],
  [
    'store {}',
    loose(createTokenManager, { flow: flow(), store: {} }),
    TypeError,
    /^createTokenManager: store must implement get\(\)$/,
  ],
  [
    'cacheKey 42',
    loose(createTokenManager, { flow: flow(), cacheKey: 42 }),
    TypeError,
    /^createTokenManager: cacheKey must be a non-empty string$/,
  ],
  [
    'fetch "fetch"',
    loose(createTokenManager, { flow: flow(), fetch: 'fetch' }),
    TypeError,
    /^createTokenManager: fetch must be a function$/,
  ],
];

describeBadOptions(cases);
