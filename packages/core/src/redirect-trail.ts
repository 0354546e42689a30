/**
 * The hops of one request whose redirects an adapter follows itself, one send at a time through
 * its client (axios's http adapter with `maxRedirects: 0` for a DPoP request, whose hops each need
 * a proof that a synchronous redirect hook cannot wait for), and of `fetchWithRedirectGuard`
 * itself: the per-hop rules written once. Each caller throws its own client's error for a
 * {@link TrailStep} that ends the request.
 *
 * @module
 */
import { headersOf } from './auth-request.ts';
import { isRedirect, nextHop, type RedirectStep } from './redirect-hop.ts';

/**
 * What a {@link RedirectTrail} starts from.
 *
 * @example
 * ```ts
 * const start: RedirectTrailStart = {
 *   url, method: 'POST', sensitiveHeaders: ['Authorization', 'DPoP'], replayableBody: true, maxRedirects: 21,
 * };
 * ```
 */
export interface RedirectTrailStart {
  /** The full URL of the request. */
  readonly url: string;
  /** The method of the request. */
  readonly method: string;
  /**
   * The headers no hop carries once a hop left the request's origin (the auth headers the request
   * carries). None: nothing is dropped, and {@link RedirectTrail.droppedAt} stays `undefined`.
   */
  readonly sensitiveHeaders: readonly string[];
  /** Whether the body can be sent again: a 307/308 of one that cannot is the answer. */
  readonly replayableBody: boolean;
  /** How many hops to follow: a redirect beyond them is {@link TrailTooMany}. */
  readonly maxRedirects: number;
  /** What each hop on the origin needs anew: `redirectStepFor(authorization)` (a DPoP proof). */
  readonly onHop?: RedirectStep | undefined;
}

/**
 * What {@link RedirectTrail.next} makes of an answer, a union on `type`: the next hop to send
 * ({@link TrailHop}), or the end of the trail: the answer stands (`done`), the redirect is one
 * too many (`tooMany`), or its `Location` makes no URL (`invalidLocation`). The caller throws
 * its own client's error for the last two: `fetchWithRedirectGuard` a `TypeError` as `fetch`
 * does, axios-auth the error follow-redirects gives axios.
 *
 * @example
 * ```ts
 * const step: TrailStep = trail.next({ status: response.status, location, hopHadBody: false });
 * if (step.type === 'tooMany') throw new TypeError(`more than 20 redirects from ${trail.url}`);
 * ```
 */
export type TrailStep = TrailHop | TrailDone | TrailTooMany | TrailInvalidLocation;

/**
 * The next hop of a {@link RedirectTrail}: where to send it, how, and what to change on the
 * headers of the previous hop.
 *
 * @example
 * ```ts
 * const hop: TrailHop = { type: 'hop', url: 'https://api.example.com/b', method: 'GET', sendsBody: false, omit: ['content-type', 'content-length'] };
 * ```
 */
export interface TrailHop {
  /** A hop to send. */
  readonly type: 'hop';
  /** The hop's URL, absolute and complete (the `Location` resolved against the previous hop). */
  readonly url: string;
  /** The hop's method (a 303, or a 301/302 after `POST`, makes it `GET`). */
  readonly method: string;
  /** Whether the body goes again. */
  readonly sendsBody: boolean;
  /**
   * Headers the hop must not carry: the sensitive ones on a hop to another origin (and they stay
   * off: later hops copy the previous hop's headers), `Content-Type` and `Content-Length` on a
   * hop without the body.
   */
  readonly omit: readonly string[];
}

/**
 * The answer stands: it is no redirect to follow (not a 3xx with a `Location`, or a 304), or a
 * 307/308 of a body that cannot be sent again.
 *
 * @example
 * ```ts
 * if (trail.next(answer).type === 'done') return response;
 * ```
 */
export interface TrailDone {
  /** The answer stands. */
  readonly type: 'done';
}

/**
 * The answer is a redirect beyond `maxRedirects` (told before its `Location` is read, as
 * follow-redirects does): the client's "too many redirects" error is the answer. The trail is
 * left where it was: {@link RedirectTrail.url} is the URL that sent the redirect.
 *
 * @example
 * ```ts
 * if (step.type === 'tooMany') throw new TypeError(`more than ${maxRedirects} redirects from ${trail.url}`);
 * ```
 */
export interface TrailTooMany {
  /** One redirect too many. */
  readonly type: 'tooMany';
}

/**
 * The answer is a redirect whose `Location` does not make a URL (resolved against the URL that
 * answered): the client's error for it is the answer. The trail is left where it was.
 *
 * @example
 * ```ts
 * if (step.type === 'invalidLocation') throw new TypeError(`invalid redirect location: ${step.location}`);
 * ```
 */
export interface TrailInvalidLocation {
  /** A `Location` that makes no URL. */
  readonly type: 'invalidLocation';
  /** The `Location` as the answer gave it. */
  readonly location: string;
}

/**
 * A client's answer to the last hop of a {@link RedirectTrail}, as {@link RedirectTrail.next}
 * reads it.
 *
 * @example
 * ```ts
 * const answer: TrailAnswer = { status: 302, location: res.headers.location, hopHadBody: config.data != null };
 * ```
 */
export interface TrailAnswer {
  readonly status: number;
  /** Its `Location` header, as the client gives it. */
  readonly location: unknown;
  /** Whether the hop it answers carried a body (a 307/308 of one that cannot go again stands). */
  readonly hopHadBody: boolean;
  /**
   * The URL that answered, when the client says (`response.url`), against which `location` is
   * resolved; `''` or absent: the last hop's.
   */
  readonly url?: string | undefined;
}

/** What a hop without the body drops besides (the fetch standard's request-body headers). */
const bodyHeaders = ['content-type', 'content-length'];

/** The steps that carry nothing but their type: one object each, made once. */
const done: TrailDone = { type: 'done' };
const tooMany: TrailTooMany = { type: 'tooMany' };

/**
 * Decides each redirect hop of one request as `fetchWithRedirectGuard` does (the fetch
 * standard's method rewrite, the body only where it goes again and can, the sensitive headers
 * dropped on the first hop to another origin and for good), for an adapter that sends each hop
 * through its own client (and for `fetchWithRedirectGuard`). It tracks where the request is
 * ({@link RedirectTrail.url}) and where the auth headers were dropped
 * ({@link RedirectTrail.droppedAt}: the answer's `tokenDroppedAt`), and makes the headers a hop
 * on the origin needs anew ({@link RedirectTrail.stepHeaders}). Only a hop moves the trail: an
 * answer that ends it ({@link TrailStep}) leaves it as it was.
 *
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 * @example
 * ```ts
 * const trail = new RedirectTrail({ url, method, sensitiveHeaders, replayableBody, maxRedirects: 21, onHop });
 * for (let response = await send(request); ; response = await send(request)) {
 *   const hop = trail.next({ status: response.status, location: response.headers.location, hopHadBody: request.body != null });
 *   if (hop.type === 'done') return response;
 *   if (hop.type !== 'hop') throw new Error(hop.type === 'tooMany' ? 'too many redirects' : 'invalid redirect');
 *   const headers = new Headers(request.headers);
 *   for (const name of hop.omit) headers.delete(name);
 *   const set = await trail.stepHeaders(response.headers);
 *   for (const name in set) headers.set(name, set[name]);
 *   request = { url: hop.url, method: hop.method, headers, body: hop.sendsBody ? request.body : undefined };
 * }
 * ```
 */
export class RedirectTrail {
  #url: string;
  #droppedAt: string | undefined;
  #method: string;
  #from: string;
  #hops = 0;
  #away = false; // a hop left the request's origin: no later hop is given onHop's headers
  readonly #start: RedirectTrailStart;

  constructor(start: RedirectTrailStart) {
    this.#start = start;
    this.#url = start.url;
    this.#from = start.url;
    this.#method = start.method;
  }

  /** The URL of the last hop sent (the request's own before any redirect). */
  get url(): string {
    return this.#url;
  }

  /** The first hop sent without the sensitive headers, if any: the answer's `tokenDroppedAt`. */
  get droppedAt(): string | undefined {
    return this.#droppedAt;
  }

  /**
   * What follows `answer` (see {@link TrailStep}): the hop to send, and the trail moves there;
   * else `done` (the answer stands), `tooMany` (a redirect past `maxRedirects`, before its
   * `Location` is read) or `invalidLocation`, and the trail stays where it was.
   */
  next(answer: TrailAnswer): TrailStep {
    const { status, location } = answer;
    if (typeof location !== 'string' || !isRedirect(status, location)) return done;
    const { maxRedirects, sensitiveHeaders } = this.#start;
    if (this.#hops >= maxRedirects) return tooMany;
    const from = answer.url || this.#url;
    const hop = nextHop(from, status, location, this.#method);
    if (hop === undefined) return { type: 'invalidLocation', location };
    if (hop.sendsBody && answer.hopHadBody && !this.#start.replayableBody) return done;
    const omit: string[] = [];
    if (!hop.sameOrigin) {
      this.#away = true;
      omit.push(...sensitiveHeaders);
      if (sensitiveHeaders.length > 0) this.#droppedAt ??= hop.url.href;
    }
    if (!hop.sendsBody) omit.push(...bodyHeaders);
    this.#hops++;
    this.#from = from;
    this.#url = hop.url.href;
    this.#method = hop.method;
    return { type: 'hop', url: this.#url, method: hop.method, sendsBody: hop.sendsBody, omit };
  }

  /**
   * The headers to set on the hop {@link RedirectTrail.next} gave last (the redirect answered with
   * `redirectHeaders`, whose `DPoP-Nonce` a proof uses): what `onHop` makes while the request
   * has not left its origin, `{}` otherwise.
   */
  async stepHeaders(
    redirectHeaders: Headers | Readonly<Record<string, unknown>>,
  ): Promise<Readonly<Record<string, string>>> {
    const { onHop } = this.#start;
    if (onHop === undefined || this.#away) return {};
    const headers =
      redirectHeaders instanceof Headers ? redirectHeaders : headersOf(redirectHeaders);
    return onHop({ url: this.#url, method: this.#method, redirect: { url: this.#from, headers } });
  }
}
