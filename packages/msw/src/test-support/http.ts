/** Helpers for the tests: raw token requests, as a client would send them. */

export const issuer = 'https://auth.test';
export const tokenUrl = `${issuer}/token`;
export const formType = 'application/x-www-form-urlencoded';

/** RFC 6749 §2.3.1: form-urlencode id and secret, join with ':', base64. */
export function basic(id: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${btoa(`${encode(id)}:${encode(secret)}`)}`;
}

/** POSTs a form body to the token endpoint. */
export function postToken(
  body: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': formType, ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
}

/** The JSON body of a response. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
