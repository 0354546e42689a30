/**
 * Header values for hostile-peer tests: a fast-check arbitrary of every value a header can carry
 * unchanged (RFC 9110 §5.5: visible ASCII and obs-text, inner spaces and tabs), and a table of
 * headers no adapter may send (each names the header the TypeError must name).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.5
 */
import fc from 'fast-check';

const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** Visible ASCII and obs-text (U+0080–U+00FF). */
const visible = [...range(0x21, 0x7e), ...range(0x80, 0xff)];
const inner = [...visible, ' ', '\t'];

/**
 * A header value that must arrive byte for byte: empty, or no leading or trailing white space.
 *
 * @example
 * await fc.assert(
 *   fc.asyncProperty(validHeaderValue, async (value) => {
 *     await send({ 'X-Value': value });
 *     expect(server.apiCalls.at(-1)?.headers['x-value']).toBe(value);
 *   }),
 *   { numRuns: 1_000 },
 * );
 */
export const validHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.constantFrom(...visible),
  fc
    .tuple(
      fc.constantFrom(...visible),
      fc.array(fc.constantFrom(...inner), { maxLength: 40 }),
      fc.constantFrom(...visible),
    )
    .map(([first, middle, last]) => `${first}${middle.join('')}${last}`),
);

/**
 * Extra headers that cannot be sent unchanged, and the header name the TypeError must name.
 *
 * @example
 * it.each(invalidHeaders)('refuses $case', ({ headers, name }) => {
 *   expect(() => createAuthFetch({ tokens, headers })).toThrow(name);
 * });
 */
export const invalidHeaders: readonly {
  readonly case: string;
  readonly headers: Record<string, string>;
  readonly name: string;
}[] = [
  { case: 'a name with a space', headers: { 'X Tenant': 'a' }, name: 'X Tenant' },
  { case: 'a name with a colon', headers: { 'X-Tenant:': 'a' }, name: 'X-Tenant:' },
  { case: 'an empty name', headers: { '': 'a' }, name: '""' },
  { case: 'a name above U+00FF', headers: { 'X-Ténant-€': 'a' }, name: 'X-Ténant-€' },
  { case: 'CR LF in a value', headers: { 'X-Tenant': 'a\r\nX-Injected: 1' }, name: 'X-Tenant' },
  { case: 'a lone LF in a value', headers: { 'X-Tenant': 'a\nb' }, name: 'X-Tenant' },
  { case: 'a lone CR in a value', headers: { 'X-Tenant': 'a\rb' }, name: 'X-Tenant' },
  { case: 'NUL in a value', headers: { 'X-Tenant': 'a\u0000b' }, name: 'X-Tenant' },
  { case: 'DEL in a value', headers: { 'X-Tenant': 'a\u007fb' }, name: 'X-Tenant' },
  {
    case: 'a character above U+00FF',
    headers: { 'X-Tenant': 'caf\u00e9 \u20ac' },
    name: 'X-Tenant',
  },
  { case: 'an emoji', headers: { 'X-Tenant': 'a\u{1F600}' }, name: 'X-Tenant' },
  { case: 'a leading space', headers: { 'X-Tenant': ' a' }, name: 'X-Tenant' },
  { case: 'a trailing tab', headers: { 'X-Tenant': 'a\t' }, name: 'X-Tenant' },
];
