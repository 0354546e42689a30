/** Plain requests to a simulator, to check what it accepts and refuses. */

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
}

async function answerOf(res: Response): Promise<RawAnswer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : {} };
}

async function post(
  url: string,
  contentType: string,
  body: string,
  headers: Record<string, string>,
): Promise<RawAnswer> {
  return answerOf(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': contentType, ...headers },
      body,
    }),
  );
}

/** A POST with a form body (a record, or the raw text). */
export function postForm(
  url: string,
  fields: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
  return post(url, 'application/x-www-form-urlencoded', body, headers);
}

/** A POST with a JSON body (a value, or the raw text). */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return post(
    url,
    'application/json',
    typeof body === 'string' ? body : JSON.stringify(body),
    headers,
  );
}

/** A GET of the API with `headers`. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return answerOf(await fetch(url, { headers }));
}
