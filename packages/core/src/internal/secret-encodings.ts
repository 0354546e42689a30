/**
 * Every form a secret takes when a server or a runtime echoes it back: as is, percent- or
 * form-encoded, JSON-escaped, and Base64 (standard and URL-safe) on its own or inside a longer
 * encoded string.
 *
 * @module
 */

/**
 * The spellings of `secret` that redaction looks for. Base64 of a longer string (Basic
 * credentials `id:secret`, a JSON body) carries the secret at one of three alignments, so the
 * characters that depend only on the secret's bytes are listed for each. Case does not matter to
 * the matcher (percent-encoding may use either case), so only one casing is listed.
 *
 * @example
 * ```ts
 * secretEncodings('a b'); // ['a b', 'a%20b', 'a+b', …, 'YSBi', …]
 * ```
 */
export function secretEncodings(secret: string): string[] {
  const bases = [secret, ...base64Fragments(secret)];
  return bases.flatMap((base) => {
    const percent = encodeURIComponent(base);
    const form = new URLSearchParams([['', base]]).toString().slice(1);
    return [
      base,
      percent,
      percent.replace(/%20/g, '+'),
      form,
      form.replace(/\+/g, '%20'),
      ...jsonEscapes(base),
    ];
  });
}

/** JSON string escapes as written by JavaScript, PHP (`\/`) and Python (`\uXXXX`). */
function jsonEscapes(text: string): string[] {
  const plain = JSON.stringify(text).slice(1, -1);
  const ascii = plain.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return [plain, ascii, plain.replace(/\//g, '\\/'), ascii.replace(/\//g, '\\/')];
}

/** The Base64 characters that depend only on the secret, for each alignment in a longer string. */
function base64Fragments(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    let binary = '\0'.repeat(offset);
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const fragment = encoded.slice(start, end);
    fragments.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return fragments;
}
