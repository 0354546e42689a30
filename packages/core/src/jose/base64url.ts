/**
 * base64url without padding (RFC 4648 §5), the encoding of JWS parts, JWK members and PKCE
 * challenges.
 *
 * @example
 * ```ts
 * base64url(new TextEncoder().encode('{"alg":"ES256"}')); // 'eyJhbGciOiJFUzI1NiJ9'
 * ```
 */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  // Chunked: spreading a large array into fromCharCode overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * base64url of a string's UTF-8 bytes.
 *
 * @example
 * ```ts
 * base64urlText('{"typ":"JWT"}'); // 'eyJ0eXAiOiJKV1QifQ'
 * ```
 */
export function base64urlText(text: string): string {
  return base64url(new TextEncoder().encode(text));
}
