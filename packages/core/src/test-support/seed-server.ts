/**
 * The mock token endpoints of the seed vendors (`seeds.*.test.ts`): an msw server per test file,
 * managers closed after each test, and helpers that read a request the way each vendor's document
 * describes it (exact content type, exactly the documented body fields).
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { TokenManager, TokenManagerOptions } from '../token-manager.ts';
import { type ManualClock, manualClock } from './async.ts';
import { managersClosedAfterEach } from './manager-cleanup.ts';

export const hour = 3_600_000;
export const formType = 'application/x-www-form-urlencoded';

/**
 * Starts an msw server for this file, failing on any unhandled request; resets its handlers
 * after each test, once that test's managers are closed. `clock` is the clock to inject: each
 * test sets it.
 */
export function useSeedServer(): {
  server: ReturnType<typeof setupServer>;
  manager: (options: TokenManagerOptions) => TokenManager;
  clock: ManualClock;
} {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => server.resetHandlers());
  // Registered after the reset, so it runs before it: a manager's request in flight still finds
  // its handler while the manager closes.
  const manager = managersClosedAfterEach();
  afterAll(() => server.close());
  return { server, manager, clock: manualClock(0) };
}

/** What a handler saw of one request. */
export interface Seen {
  readonly headers: Headers;
  readonly body: Record<string, unknown> | undefined;
}

/** The body as a record, if the request has exactly `contentType` and no repeated field. */
export async function bodyOf(request: Request, contentType: string): Promise<Seen> {
  const headers = request.headers;
  if (headers.get('content-type') !== contentType) return { headers, body: undefined };
  const text = await request.text();
  if (contentType.startsWith(formType)) {
    const pairs = [...new URLSearchParams(text)];
    const body = Object.fromEntries(pairs);
    return { headers, body: Object.keys(body).length === pairs.length ? body : undefined };
  }
  try {
    const json: unknown = JSON.parse(text);
    const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
    return { headers, body: isObject ? (json as Record<string, unknown>) : undefined };
  } catch {
    return { headers, body: undefined };
  }
}

/** Whether `body` has exactly the `required` fields (plus any `optional` ones), all strings. */
export function hasFields(
  body: Record<string, unknown> | undefined,
  required: readonly string[],
  optional: readonly string[] = [],
): body is Record<string, string> {
  if (body === undefined) return false;
  const keys = Object.keys(body);
  return (
    required.every((key) => keys.includes(key)) &&
    keys.every((key) => required.includes(key) || optional.includes(key)) &&
    Object.values(body).every((value) => typeof value === 'string')
  );
}
