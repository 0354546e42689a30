/**
 * A cold manager under concurrent callers: one token request, its one result or error for all.
 */
import { describe, expect, it } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { manage, server, useManagerFixture } from './test-support/manager-fixture.ts';

useManagerFixture();

describe('concurrent cold start', () => {
  it('makes exactly one token request for 100 concurrent callers, who all get the same token', async () => {
    const tokens = manage();
    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(server.tokenRequests).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.accessToken).toBe(server.issued[0]);
  });

  it('rejects every waiter with the one error of the shared request', async () => {
    server.script({ status: 400, body: { error: 'invalid_scope', error_description: 'No.' } });
    const tokens = manage();
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => tokens.getToken()));
    expect(server.tokenRequests).toHaveLength(1);
    const reasons = new Set(results.map((r) => (r.status === 'rejected' ? r.reason : r.value)));
    expect(reasons.size).toBe(1);
    const [reason] = reasons;
    expect(reason).toBeInstanceOf(TokenEndpointError);
    expect(reason).toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      status: 400,
      error: 'invalid_scope',
      errorDescription: 'No.',
    });
  });
});
