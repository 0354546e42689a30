import fc from 'fast-check';
import { afterEach, expect, test } from 'vitest';
import { TokenwiseError } from './errors.ts';
import { tokenRequest } from './flows/token-request.ts';
import { manualClock } from './test-support/async.ts';
import { findLeaks } from './test-support/leaks.ts';
import { createTokenManager, type TokenManager } from './token-manager.ts';

const tokenUrl = 'https://auth.example.com/token';

/** Characters that each encoding treats differently, among printable ASCII. */
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '+', '/', '=', '%', '&', '"', '\\', '?', '#') },
  { weight: 1, arbitrary: fc.constantFrom('Ω', 'é', '€', '中', '😀', '\u0001') },
);

/** A secret: 6 to 40 characters, varied enough that it cannot be a piece of our own text. */
const secret = fc
  .string({ unit, minLength: 6, maxLength: 40 })
  .filter((value) => new Set(value).size >= 5 && value.trim() === value);

/** Where the request carries the secret. */
const carrier = fc.constantFrom('json body', 'form body', 'query string', 'header');

/** How the server spells what it echoes (the secret with text around it). */
const spellings: Record<string, (text: string) => string> = {
  plain: (text) => text,
  percent: (text) => encodeURIComponent(text),
  'percent, lower-case hex': (text) =>
    encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  form: (text) => new URLSearchParams([['', text]]).toString().slice(1),
  'form with %20': (text) =>
    new URLSearchParams([['', text]]).toString().slice(1).replace(/\+/g, '%20'),
  'JSON-escaped': (text) => JSON.stringify(text).slice(1, -1),
  'JSON-escaped, ASCII only (Python)': (text) =>
    JSON.stringify(text)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  base64: (text) => Buffer.from(text).toString('base64'),
  base64url: (text) => Buffer.from(text).toString('base64url'),
};

/** Where the server or the runtime puts the echo. */
const places: Record<string, (echo: string) => Response> = {
  'a 401 error_description': (echo) =>
    Response.json({ error: 'invalid_client', error_description: echo }, { status: 401 }),
  'the error of a 200': (echo) => Response.json({ error: echo }),
  'a network error, two causes deep': (echo) => {
    throw new TypeError('fetch failed', {
      cause: new Error('other side closed', { cause: new Error(echo) }),
    });
  },
  'the Content-Type of a 200 that is no JSON': (echo) =>
    new Response('<html></html>', {
      headers: {
        'content-type': /^[\x20-\x7e]*$/.test(echo) ? `text/html; x=${echo}` : 'text/html',
      },
    }),
};

const managers: TokenManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
});

test('a secret the request carried never leaves in an error, however the server echoes it', async () => {
  await fc.assert(
    fc.asyncProperty(
      secret,
      carrier,
      fc.constantFrom(...Object.keys(spellings)),
      fc.constantFrom(...Object.keys(places)),
      fc.string({ maxLength: 5 }),
      fc.string({ maxLength: 5 }),
      async (value, where, spelling, place, before, after) => {
        // Header values must be printable ASCII to be sent at all.
        fc.pre(where !== 'header' || /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value));
        const echo = (spellings[spelling] as (text: string) => string)(`${before}${value}${after}`);
        const answer = places[place] as (echo: string) => Response;
        const manager = createTokenManager({
          flow: tokenRequest({
            url: tokenUrl,
            method: where === 'query string' ? 'GET' : 'POST',
            bodyFormat: where === 'form body' ? 'form' : 'json',
            headers: where === 'header' ? { 'X-Api-Key': value } : {},
            body: where === 'header' ? { grant_type: 'api_key' } : { api_key: value },
            response: { accessToken: 'token' },
          }),
          now: manualClock().now,
          retry: false,
          fetch: async () => answer(echo),
        });
        managers.push(manager);
        const error = await manager.getToken().catch((e: unknown) => e);
        await manager.close();
        expect(error instanceof TokenwiseError, String(error)).toBe(true);
        expect(findLeaks(error, [value])).toEqual([]);
      },
    ),
    { numRuns: 1000 },
  );
}, 120_000);
