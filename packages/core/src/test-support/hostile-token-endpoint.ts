/**
 * A hostile token endpoint for the `redaction.hostile.*.test.ts` files: the secrets a manager
 * sends it (each with characters every encoding treats differently) and the tokens it answers,
 * and a way to get the error a manager fails with when that endpoint answers as a test says.
 */
import { expect } from 'vitest';
import type { Flow } from '../flows/flow.ts';
import { manualClock } from './async.ts';
import { managersClosedAfterEach } from './manager-cleanup.ts';

export const tokenUrl = 'https://auth.example.com/token';
export const clientId = 'client-HOST';
/** Characters every encoding treats differently: space, + / = % & " \ and non-ASCII. */
export const clientSecret = 'cs-HOST 7f+/=%&"\\Ω-e2';
export const apiKey = 'ak-HOST-5c4b3a';
export const headerKey = 'xk-HOST+/=9d8e';
export const startRefreshToken = 'rt-HOST-start-1a2b';
export const code = 'code-HOST-3c4d';
export const codeVerifier = `cv-HOST-${'v'.repeat(40)}`;
export const answerAccessToken = 'at-HOST-answer-6f7a';
export const answerRefreshToken = 'rt-HOST-answer-8b9c';

const form = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);
const basicBlob = btoa(`${form(clientId)}:${form(clientSecret)}`);
/** Every secret the endpoint receives or answers, and the Basic credentials made of the client's. */
export const secrets = [
  clientSecret,
  apiKey,
  headerKey,
  startRefreshToken,
  code,
  codeVerifier,
  answerAccessToken,
  answerRefreshToken,
  basicBlob,
];

/** An API key header that every flow sends along. */
export const headers = { 'X-Api-Key': headerKey };

/** The request as the server received it, and every value it decoded from it. */
export interface Received {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Query, body (form or JSON) and header values, Basic credentials decoded. */
  readonly values: string[];
}

/** What the server received of `fetch(input, init)`. */
function received(input: RequestInfo | URL, init: RequestInit | undefined): Received {
  const url = String(input);
  const headers = Object.fromEntries(new Headers(init?.headers));
  const body = typeof init?.body === 'string' ? init.body : '';
  const values = [...new URL(url).searchParams.values(), ...Object.values(headers)];
  values.push(
    ...(body.startsWith('{')
      ? Object.values(JSON.parse(body) as Record<string, string>)
      : [...new URLSearchParams(body).values()]),
  );
  const basic = /^Basic (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (basic)
    values.push(
      ...atob(basic)
        .split(':')
        .map((part) => decodeURIComponent(part)),
    );
  return { url, headers, body, values };
}

/**
 * Registers the closing of its managers after each test, and returns `failureOf`: the error a
 * manager on `flow` fails with when the token endpoint answers what `answer` makes of the request
 * it received (or throws what `answer` throws, as a network error).
 */
export function hostileEndpointFailures(): (
  flow: Flow,
  answer: (request: Received) => Response,
) => Promise<unknown> {
  const manage = managersClosedAfterEach();
  return (flow, answer) => {
    const manager = manage({
      flow,
      now: manualClock().now,
      retry: false,
      fetch: async (input, init) => answer(received(input, init)),
    });
    return manager.getToken().then(
      () => expect.unreachable('expected a failure'),
      (error: unknown) => error,
    );
  };
}
