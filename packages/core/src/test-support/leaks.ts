/**
 * Finds secrets in every rendering of a value, in every encoding a server or runtime could echo
 * them in. Written independently of the library's redaction: it decodes Base64 it finds rather
 * than predicting it.
 */
import { renderings } from '@tokenwise/test-kit';

/** The plain, percent, form and JSON spellings of a secret. */
function spellings(secret: string): string[] {
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams([['', secret]]).toString().slice(1);
  const json = JSON.stringify(secret).slice(1, -1);
  const jsonAscii = json.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return [
    secret,
    percent,
    percent.replace(/%20/g, '+'),
    percent.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    form,
    form.replace(/\+/g, '%20'),
    json,
    jsonAscii,
    json.replace(/\//g, '\\/'),
    jsonAscii.replace(/\//g, '\\/'),
  ];
}

/** Whether a run of Base64 characters decodes, at some starting offset, to one of `forms`. */
function inBase64(text: string, forms: readonly string[]): boolean {
  const needles = forms.map((form) => Buffer.from(form));
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{4,}/g)) {
    const standard = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let offset = 0; offset < 4; offset++) {
      const decoded = Buffer.from(standard.slice(offset), 'base64');
      if (needles.some((needle) => decoded.includes(needle))) return true;
    }
  }
  return false;
}

/**
 * Each secret found in some rendering of `value` (`String`, `util.inspect` at any depth with
 * hidden properties, `JSON.stringify`, `message`, `stack`, down the `cause` chain), in any of
 * its spellings, or one of those Base64-encoded inside a longer string, as `"secret" in "rendering"`.
 */
export function findLeaks(value: unknown, secrets: readonly string[]): string[] {
  const texts = renderings(value);
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = spellings(secret);
    for (const text of texts) {
      if (forms.some((form) => text.includes(form)) || inBase64(text, forms)) {
        found.push(`${JSON.stringify(secret)} in ${JSON.stringify(text.slice(0, 2_000))}`);
        break;
      }
    }
  }
  return found;
}
