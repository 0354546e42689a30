/**
 * Decoding base64url (RFC 4648 §5): a PKCS#8 PEM's body when a signing key is imported. A module
 * of its own, apart from the encoders that code loaded at start uses, so that only the lazily
 * loaded signing code carries it.
 *
 * @module
 */

/**
 * Decodes base64url (padding optional) to bytes; `undefined` when the text is not base64url.
 *
 * @example
 * ```ts
 * fromBase64url('AQAB'); // Uint8Array [1, 0, 1]
 * ```
 */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, ''));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
