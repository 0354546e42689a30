/**
 * A tokenRequest response function that throws quoting what it read: neither the tokens in the
 * answer nor the secrets of the request reach any rendering of the error.
 */
import { describe, expect, test } from 'vitest';
import { tokenRequest } from './flows/token-request.ts';
import {
  answerAccessToken,
  apiKey,
  clientSecret,
  headers,
  hostileEndpointFailures,
  secrets,
  tokenUrl,
} from './test-support/hostile-token-endpoint.ts';
import { findLeaks } from './test-support/leaks.ts';

const failureOf = hostileEndpointFailures();

describe('a tokenRequest response function', () => {
  test('that throws quoting the answer: neither the tokens nor the request secrets leak', async () => {
    const flow = tokenRequest({
      url: tokenUrl,
      headers,
      body: { api_key: apiKey, client_secret: clientSecret },
      response: (body) => {
        throw new Error(`cannot read ${JSON.stringify(body)} (token ${String(body.jwt)})`);
      },
    });
    const error = await failureOf(flow, () => Response.json({ jwt: answerAccessToken, n: 1 }));
    expect(findLeaks(error, secrets)).toEqual([]);
  });
});
