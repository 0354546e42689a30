/**
 * Generated token endpoint answers, for property tests of the parse path: any status, any content
 * type, any body (JSON of any shape, token-like objects with fields of every type, form bodies,
 * arbitrary text and bytes, over-size bodies), any Date and Retry-After header.
 */
import fc from 'fast-check';

/** Values a careless or hostile server puts in a field. */
const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    '',
    ' ',
    '3600',
    ' 3600 ',
    '-1',
    '1e3',
    'NaN',
    'Infinity',
    '0x10',
    '3600s',
    '2024-07-11T07:48Z',
    '2024-02-30T00:00:00Z',
    '2099-01-01T00:00:00+05:30',
    'Thu, 01 Jan 2099 00:00:00 GMT',
    'Bearer',
    'BEARER',
    'DPoP',
    'a b c',
    'eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.',
    'eyJhbGciOiJub25lIn0.bm90IGpzb24.',
  ),
  fc.constantFrom(0, -1, 0.0001, 1, 59.9995, 3600, 1e12, 1e15, 1e300, Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.integer(),
);

const tokenFieldNames = [
  'access_token',
  'token_type',
  'expires_in',
  'expires_at',
  'refresh_token',
  'refresh_expires_in',
  'refresh_token_expires_in',
  'scope',
  'error',
  'error_description',
  'error_uri',
  'token',
  'valid_until',
  'type',
  'ttl',
  'scopes',
  'data',
] as const;

/** An object shaped like a token answer: some known fields, each of any type, maybe nested. */
const tokenLike: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(fc.constantFrom(...tokenFieldNames), fieldValue, { maxKeys: 8 })
  .chain((fields) =>
    fc
      .dictionary(fc.constantFrom(...tokenFieldNames), fieldValue, { maxKeys: 4 })
      .map((nested) => (fields.data === undefined ? fields : { ...fields, data: nested })),
  );

/** A plausible token answer for every flow's field names, before any field is spoiled. */
const plausible: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    access_token: fc.stringMatching(/^[\w.~+/-]{1,40}=*$/),
    token: fc.stringMatching(/^[\w.~+/-]{1,40}$/),
    token_type: fc.constantFrom('Bearer', 'bearer', 'BEARER', 'DPoP', ' Bearer '),
    expires_in: fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.constant('3600')),
    ttl: fc.integer({ min: 1, max: 10_000_000 }),
    valid_until: fc
      .integer({ min: 60, max: 100_000_000 })
      .map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString()),
    refresh_token: fc.stringMatching(/^[\w.-]{1,20}$/),
    scope: fc.constantFrom('a', 'a b', '  a   b  ', ''),
    scopes: fc.constantFrom(['a'], ['a', 'b'], []),
    data: fc.record({
      access_token: fc.stringMatching(/^[\w.-]{1,20}$/),
      expires_in: fc.integer({ min: 1, max: 1_000_000 }),
    }),
  },
  { requiredKeys: ['access_token', 'token', 'data'] },
);

/** A plausible answer with some fields replaced by anything (the overrides' nested `data` too). */
const spoiled: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(plausible, tokenLike)
  .map(([base, overrides]) => ({
    ...base,
    ...overrides,
    data:
      typeof overrides.data === 'object' && overrides.data !== null
        ? { ...(base.data as object), ...overrides.data }
        : (overrides.data ?? base.data),
  }));

/** One answer of a token endpoint: status, content type, body and the headers that matter. */
export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly date: string | undefined;
  readonly retryAfter: string | undefined;
}

/** JSON text that `JSON.stringify` cannot produce: out-of-range numbers, duplicate keys. */
const oddJson = fc.constantFrom(
  '{"access_token":"a","expires_in":1e400}',
  '{"access_token":"a","expires_in":-1e400}',
  '{"access_token":"a","access_token":""}',
  '{"access_token":"a","expires_at":1e400}',
  '  \n{"access_token":"a"}\n',
  '{"access_token":"a"',
  '{"__proto__":{"access_token":"polluted"}}',
  '{"constructor":{"prototype":{"x":1}},"access_token":"a"}',
);

const body: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
  { weight: 4, arbitrary: plausible.map((value) => JSON.stringify(value)) },
  { weight: 6, arbitrary: spoiled.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: tokenLike.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.json() },
  { weight: 1, arbitrary: oddJson },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(fc.constantFrom(...tokenFieldNames), fc.string(), { maxKeys: 6 })
      .map((fields) => new URLSearchParams(fields).toString()),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => new Uint8Array(bytes)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '<!doctype html><title>Sign in</title>',
      `{"access_token":"a","pad":"${'p'.repeat(1024 * 1024)}"}`,
    ),
  },
);

/** Any answer a token endpoint could send (mostly 200/201 with a token-like body). */
export const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(200, 201) },
    { weight: 2, arbitrary: fc.constantFrom(202, 204, 302, 400, 401, 403, 429, 500, 503) },
    { weight: 2, arbitrary: fc.integer({ min: 200, max: 599 }) },
  ),
  contentType: fc.option(
    fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/x-www-form-urlencoded',
      'text/html',
      'text/plain',
      'application/problem+json',
      'APPLICATION/JSON',
    ),
    { nil: undefined },
  ),
  body,
  date: fc.option(
    fc.oneof(
      fc
        .integer({ min: -8_640_000_000_000, max: 8_640_000_000_000 })
        .map((ms) => new Date(Date.UTC(2026, 0, 1) + ms * 1000).toUTCString()),
      fc.string(),
    ),
    { nil: undefined },
  ),
  retryAfter: fc.option(fc.oneof(fc.nat().map(String), fc.string()), { nil: undefined }),
});

/** The Response for `a`, as fetch would hand it over. */
export function respond(a: Answer): Response {
  const headers = new Headers();
  if (a.contentType !== undefined) headers.set('content-type', a.contentType);
  // Header values the Headers API refuses (control characters) are left out, as fetch would.
  for (const [name, value] of [
    ['date', a.date],
    ['retry-after', a.retryAfter],
  ] as const) {
    if (value === undefined) continue;
    try {
      headers.set(name, value);
    } catch {
      // not representable on the wire
    }
  }
  const nullBody = a.status === 204 || a.status === 205 || a.status === 304;
  return new Response(nullBody ? null : a.body, { status: a.status, headers });
}
