/**
 * The loopback server's API: every path but the mock's endpoints. Scripted statuses and a
 * test's own routes come first; then `/hang`, `/drop` and `/redirect`; `/public…` answers
 * anyone; every other path is protected by the mock's own token check (`oauth.protect`, RFC 6750
 * challenges), `/always-401…` refusing even the tokens that pass it. What passes gets an echo.
 */
import type { ServerResponse } from 'node:http';
import type { MockOAuthServer } from '@tokenwise/msw';
import type { DefaultBodyType, HttpResponseResolver, StrictRequest } from 'msw';
import { type RecordedRequest, toFetchRequest, writeResponse } from './node-bridge.ts';
import type { Waits } from './waits.ts';

/**
 * A test's own answer for one API path: it writes the node response itself (and may hold it).
 *
 * @example
 * server.route('/landing', (_request, res) => void res.writeHead(200).end('landed'));
 */
export type RouteHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * The knobs of the API.
 *
 * @example
 * server.apiAlways401 = true;
 */
export interface ApiKnobs {
  /** Delay of every API answer, in ms. @default 0 */
  apiDelayMs: number;
  /** Every path answers 401 whatever the token, `/public…` included. @default false */
  apiAlways401: boolean;
}

/** Statuses queued per path, used in order. */
class StatusQueues {
  readonly #queues = new Map<string, number[]>();

  add(path: string, statuses: readonly number[]): void {
    this.#queues.set(path, [...(this.#queues.get(path) ?? []), ...statuses]);
  }

  take(path: string): number | undefined {
    return this.#queues.get(path)?.shift();
  }
}

/** What the token check's resolver answers when the mock let the request through. */
const passed = 204;

/**
 * The API as the socket sees it.
 *
 * @example
 * const api = new ApiRoutes(oauth, waits, server);
 * await api.handle(request, res);
 */
export class ApiRoutes {
  /** API requests, in arrival order. */
  readonly calls: RecordedRequest[] = [];
  /** Statuses for the next API requests, whatever their path (before any token check). */
  readonly failures: number[] = [];
  /** Statuses for the next requests to a path, whatever token they carry. */
  readonly pathFailures: StatusQueues = new StatusQueues();
  /** Statuses for the next requests to a path that pass the token check. */
  readonly authorizedFailures: StatusQueues = new StatusQueues();
  readonly #routes = new Map<string, RouteHandler>();
  readonly #realm: string;
  /** The mock's own token check (`oauth.protect`), answering `passed` to what it lets through. */
  readonly #check: HttpResponseResolver;
  readonly #waits: Waits;
  readonly #knobs: ApiKnobs;

  constructor(oauth: MockOAuthServer, waits: Waits, knobs: ApiKnobs) {
    this.#realm = oauth.issuer;
    this.#check = oauth.protect(() => new Response(null, { status: passed }));
    this.#waits = waits;
    this.#knobs = knobs;
  }

  /** Answers `path` with `handler` from now on (before the built-in paths and the token check). */
  route(path: string, handler: RouteHandler): void {
    this.#routes.set(path, handler);
  }

  /** Whether the request carries an access token the mock issued, live and not revoked. */
  async authorized(request: RecordedRequest): Promise<boolean> {
    return (await this.#checked(request)).status === passed;
  }

  /** Answers one API request. */
  async handle(request: RecordedRequest, res: ServerResponse): Promise<void> {
    this.calls.push(request);
    await this.#waits.sleep(this.#knobs.apiDelayMs);
    const { path } = request;
    const scripted = this.failures.shift() ?? this.pathFailures.take(path);
    if (scripted !== undefined) return writeScripted(res, scripted);
    const route = this.#routes.get(path);
    if (route) return route(request, res);
    if (path === '/hang') return; // never answered: close() closes the connection
    if (path === '/drop') return void res.destroy();
    if (path === '/redirect') {
      const { searchParams } = request.url;
      res.writeHead(Number(searchParams.get('status') ?? 302), {
        location: searchParams.get('to') ?? '/',
      });
      return void res.end();
    }
    const refuseEvery = this.#knobs.apiAlways401 || path.startsWith('/always-401');
    if (path.startsWith('/public') && !refuseEvery) return writeResponse(res, echo(request));
    const checked = await this.#checked(request);
    if (checked.status !== passed) return writeResponse(res, checked);
    if (refuseEvery) return writeResponse(res, refusal(this.#realm));
    const status = this.authorizedFailures.take(path);
    if (status !== undefined) return writeScripted(res, status);
    await writeResponse(res, echo(request));
  }

  /**
   * The mock's answer to the request's credentials: its challenge, or `passed`. The resolver is
   * called as msw would call it (a handler matching every URL), without msw's lookup around it:
   * thousands of API calls per test file stay fast.
   */
  async #checked(request: RecordedRequest): Promise<Response> {
    const info = { requestId: '', finalize() {}, params: {}, cookies: {} };
    // A cast, not a conversion: without the DOM lib, Node's Request types `json()` as unknown.
    const fetchRequest = toFetchRequest(request) as StrictRequest<DefaultBodyType>;
    const answer = await this.#check({ ...info, request: fetchRequest });
    return answer instanceof Response ? answer : new Response(null, { status: 500 });
  }
}

/** What a request that passed shows: enough to check what the client sent. */
function echo(request: RecordedRequest): Response {
  const header = (name: string) => request.headers[name] ?? null;
  return Response.json({
    authorization: header('authorization'),
    tenant: header('x-tenant-id'),
    method: request.method,
    body: request.body,
    path: request.path,
    contentType: header('content-type'),
  });
}

/** A scripted status with `{ "error": "scripted" }`. */
function writeScripted(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'scripted' }));
}

/** The 401 of an API that refuses every token, valid ones too (RFC 6750 §3.1 `invalid_token`). */
function refusal(realm: string): Response {
  const challenge = `Bearer realm="${realm}", error="invalid_token"`;
  return Response.json(
    { error: 'invalid_token', error_description: 'This API refuses every token' },
    { status: 401, headers: { 'www-authenticate': challenge } },
  );
}
