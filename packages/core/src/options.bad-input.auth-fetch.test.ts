/**
 * Bad options for createAuthFetch: no token manager, origins that are no origins, headers,
 * retryOn401 or fetch of the wrong type. Each throws a TypeError at once, naming the option.
 * (authorizer.options.test.ts covers the common cases; these are the others.)
 */
import { createAuthFetch } from './auth-fetch.ts';
import { type BadOption, describeBadOptions, flow, loose } from './test-support/bad-options.ts';
import { createTokenManager } from './token-manager.ts';

const tokens = () => createTokenManager({ flow: flow() });

const cases: BadOption[] = [
  // createAuthFetch.
  [
    'createAuthFetch()',
    loose(createAuthFetch, undefined),
    TypeError,
    /^auth options must be an object$/,
  ],
  [
    'tokens missing',
    loose(createAuthFetch, {}),
    TypeError,
    /^tokens must be a token manager from createTokenManager\(\) or a function of the request returning one$/,
  ],
  [
    'tokens given a flow',
    loose(createAuthFetch, { tokens: flow() }),
    TypeError,
    /^tokens must be a token manager/,
  ],
  [
    'origins a string',
    () => createAuthFetch({ tokens: tokens(), origins: 'https://api.example.com' as never }),
    TypeError,
    /^origins must be an array of origins$/,
  ],
  [
    'origins ["not a url"]',
    () => createAuthFetch({ tokens: tokens(), origins: ['not a url'] }),
    TypeError,
    /^origins: not a url is not a valid origin$/,
  ],
  [
    'origins ["data:…"] (an opaque origin)',
    () => createAuthFetch({ tokens: tokens(), origins: ['data:text/plain,x'] }),
    TypeError,
    /^origins: data:text\/plain,x is not a valid origin$/,
  ],
  [
    'headers 42',
    () => createAuthFetch({ tokens: tokens(), headers: 42 as never }),
    TypeError,
    /^headers must be an object of header names and values$/,
  ],
  [
    'retryOn401 "yes"',
    () => createAuthFetch({ tokens: tokens(), retryOn401: 'yes' as never }),
    TypeError,
    /^retryOn401 must be a boolean$/,
  ],
  [
    'fetch 42',
    () => createAuthFetch({ tokens: tokens(), fetch: 42 as never }),
    TypeError,
    /^createAuthFetch: fetch must be a function$/,
  ],
];

describeBadOptions(cases);
