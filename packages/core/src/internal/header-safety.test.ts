import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthorizer } from '../authorizer.ts';
import type { TokenManager } from '../token-manager.ts';
import { assertHeaderRecord, isHeaderValue, isSendableToken } from './header-safety.ts';

/** A character no header can carry unchanged: a control character, DEL, or above U+00FF. */
const forbidden = fc
  .oneof(
    fc.integer({ min: 0, max: 0x08 }),
    fc.integer({ min: 0x0a, max: 0x1f }),
    fc.constant(0x7f),
    fc.integer({ min: 0x100, max: 0xffff }).filter((code) => code < 0xd800 || code > 0xdfff),
  )
  .map((code) => String.fromCharCode(code));
/** A value a header carries byte for byte: visible Latin-1, spaces and tabs inside. */
const fieldChar = fc
  .oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
  .map((code) => String.fromCharCode(code));
const validValue = fc
  .tuple(
    fieldChar,
    fc.array(fc.oneof(fieldChar, fc.constantFrom(' ', '\t')), { maxLength: 30 }),
    fieldChar,
  )
  .map(([head, middle, tail]) => `${head}${middle.join('')}${tail}`);
const invalidValue = fc
  .tuple(fc.string({ maxLength: 10 }), forbidden, fc.string({ maxLength: 10 }))
  .map(([head, bad, tail]) => `${head}${bad}${tail}`);

const tokens = {
  getToken: async () => ({ accessToken: 'a', tokenType: 'Bearer', raw: {} }),
  invalidate: async () => true,
} as unknown as TokenManager;

describe('header values', () => {
  it('refuses any value with a forbidden character, naming the header and never quoting the value (1,000 values)', () => {
    fc.assert(
      fc.property(invalidValue, (value) => {
        expect(isHeaderValue(value)).toBe(false);
        const attempt = () => createAuthorizer({ tokens, headers: { 'X-Tenant-Id': value } });
        expect(attempt).toThrow(TypeError);
        expect(attempt).toThrow(/header 'X-Tenant-Id'/);
        try {
          attempt();
        } catch (error) {
          if (value.trim().length > 3) expect((error as Error).message).not.toContain(value);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('refuses leading or trailing white space, which a header would trim', () => {
    for (const value of [' a', 'a ', '\ta', 'a\t']) {
      expect(() => assertHeaderRecord({ 'X-A': value }, 'headers')).toThrow(/header 'X-A'/);
    }
  });

  it('accepts every value a header carries unchanged (1,000 values)', () => {
    fc.assert(
      fc.property(validValue, (value) => {
        expect(isHeaderValue(value)).toBe(true);
        expect(() => assertHeaderRecord({ 'X-Tenant-Id': value }, 'headers')).not.toThrow();
      }),
      { numRuns: 1_000 },
    );
  });

  it.each([
    ['', 'an empty name'],
    ['X Tenant', 'a space'],
    ['X:Tenant', 'a colon'],
    ['Tenänt', 'a non-ASCII letter'],
  ])('refuses the header name %j (%s), naming it', (name) => {
    expect(() => assertHeaderRecord({ [name]: 'v' }, 'headers')).toThrow(
      `headers: ${JSON.stringify(name)} is not a valid header name`,
    );
  });

  it('refuses two names of one header (names differ in case only), naming the second', () => {
    expect(() => assertHeaderRecord({ 'X-Tenant-Id': 'a', 'x-tenant-id': 'b' }, 'headers')).toThrow(
      new TypeError("headers: header 'x-tenant-id' is named twice (names ignore case)"),
    );
  });

  it("refuses __proto__, which axios's and got's header records take for their prototype (the header lost)", () => {
    const record = JSON.parse('{"__proto__": "v"}') as Record<string, string>;
    expect(() => assertHeaderRecord(record, 'headers')).toThrow(
      new TypeError('headers: "__proto__" is not a valid header name'),
    );
  });
});

describe('access tokens', () => {
  it('are sendable only as visible ASCII without surrounding space (1,000 tokens with a forbidden character)', () => {
    fc.assert(
      fc.property(invalidValue, (token) => {
        expect(isSendableToken(token)).toBe(false);
      }),
      { numRuns: 1_000 },
    );
    expect(isSendableToken('eyJhbGciOi.J9-_~+/=')).toBe(true);
    expect(isSendableToken('a b')).toBe(true);
    expect(isSendableToken('tøken')).toBe(false);
  });
});
