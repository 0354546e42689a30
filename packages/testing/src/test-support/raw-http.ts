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

/** A POST with a form body (a record, or the raw text). */
export async function postForm(
  url: string,
  fields: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return answerOf(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    }),
  );
}

/** A POST with a JSON body (a value, or the raw text). */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return answerOf(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** A GET of the API with `headers`. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return answerOf(await fetch(url, { headers }));
}
