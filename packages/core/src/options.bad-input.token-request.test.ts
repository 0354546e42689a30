/**
 * Bad options for tokenRequest: a URL that is no token endpoint, a method that is no HTTP method,
 * a body, body format, success status or response map of the wrong kind. Each throws at once,
 * naming the option. (flows/token-request.validation.test.ts covers the common cases; these are the others.)
 */
import { tokenRequest } from './flows/token-request.ts';
import { type BadOption, describeBadOptions, loose, tokenUrl } from './test-support/bad-options.ts';

const tr = { url: tokenUrl, body: { api_key: 'k' }, response: { accessToken: 'token' } };

const cases: BadOption[] = [
  // tokenRequest.
  [
    'tokenRequest(undefined)',
    loose(tokenRequest, undefined),
    TypeError,
    /^tokenRequest: options must be an object$/,
  ],
  [
    'url missing',
    loose(tokenRequest, { ...tr, url: undefined }),
    TypeError,
    /^tokenRequest: url must be a URL string$/,
  ],
  [
    'url "ftp://…"',
    loose(tokenRequest, { ...tr, url: 'ftp://vendor.example/token' }),
    TypeError,
    /^tokenRequest: url must be an http\(s\) URL$/,
  ],
  [
    'url with credentials',
    loose(tokenRequest, { ...tr, url: 'https://k:s@vendor.example/token' }),
    TypeError,
    /^tokenRequest: url must not contain credentials$/,
  ],
  [
    'method "GET /x"',
    loose(tokenRequest, { ...tr, method: 'GET /x' }),
    TypeError,
    /^tokenRequest: method must be an HTTP method name$/,
  ],
  [
    'method ""',
    loose(tokenRequest, { ...tr, method: '' }),
    TypeError,
    /^tokenRequest: method must be an HTTP method name$/,
  ],
  [
    'body null',
    loose(tokenRequest, { ...tr, body: null }),
    TypeError,
    /^tokenRequest: body must be an object or a function returning one$/,
  ],
  [
    'body "api_key=k"',
    loose(tokenRequest, { ...tr, body: 'api_key=k' }),
    TypeError,
    /^tokenRequest: body must be an object or a function returning one$/,
  ],
  [
    'bodyFormat "xml"',
    loose(tokenRequest, { ...tr, bodyFormat: 'xml' }),
    TypeError,
    /^tokenRequest: bodyFormat must be 'form' or 'json'$/,
  ],
  [
    'successStatus 404',
    loose(tokenRequest, { ...tr, successStatus: 404 }),
    TypeError,
    /^tokenRequest: successStatus must be 2xx status codes$/,
  ],
  [
    'successStatus 200.5',
    loose(tokenRequest, { ...tr, successStatus: 200.5 }),
    TypeError,
    /successStatus must be 2xx status codes$/,
  ],
  [
    'successStatus NaN',
    loose(tokenRequest, { ...tr, successStatus: Number.NaN }),
    TypeError,
    /successStatus must be 2xx status codes$/,
  ],
  [
    'successStatus [201, "200"]',
    loose(tokenRequest, { ...tr, successStatus: [201, '200'] }),
    TypeError,
    /successStatus must be 2xx status codes$/,
  ],
  [
    'response {}',
    loose(tokenRequest, { ...tr, response: {} }),
    TypeError,
    /^tokenRequest: response must be a field map with an accessToken path, or a function$/,
  ],
  [
    'response "token"',
    loose(tokenRequest, { ...tr, response: 'token' }),
    TypeError,
    /response must be a field map with an accessToken path, or a function$/,
  ],
  [
    'response { accessToken: 42 }',
    loose(tokenRequest, { ...tr, response: { accessToken: 42 } }),
    TypeError,
    /response must be a field map with an accessToken path, or a function$/,
  ],
];

describeBadOptions(cases);
