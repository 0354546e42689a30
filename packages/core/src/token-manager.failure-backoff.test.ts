/**
 * After a failed token request the manager answers the same error, without a request, until
 * the failure window ends: 1 s doubling per failure, or Retry-After, capped at 30 s.
 */
import { describe, expect, it } from 'vitest';
import { TokenEndpointError } from './errors.ts';
import { clock, manage, server, useManagerFixture } from './test-support/manager-fixture.ts';

useManagerFixture();

describe('failure backoff', () => {
  it('answers the last error at once inside the window and asks again at its exact end', async () => {
    server.script({ status: 400, body: { error: 'invalid_request' } });
    const tokens = manage();
    const first = await tokens.getToken().catch((error: unknown) => error);
    expect(first).toBeInstanceOf(TokenEndpointError);
    clock.advance(999);
    await expect(tokens.getToken()).rejects.toBe(first);
    expect(server.tokenRequests).toHaveLength(1);
    clock.advance(1);
    expect((await tokens.getToken()).accessToken).toBe(server.issued[0]);
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('doubles the window per consecutive failure and starts over after a success', async () => {
    const failure = { status: 500, body: { error: 'server_error' } };
    server.script(failure, failure);
    const tokens = manage({ retry: false });
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    clock.advance(1_000);
    const second = await tokens.getToken().catch((error: unknown) => error);
    expect(server.tokenRequests).toHaveLength(2);
    clock.advance(1_999);
    await expect(tokens.getToken()).rejects.toBe(second);
    expect(server.tokenRequests).toHaveLength(2);
    clock.advance(1);
    const token = await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(3);

    // After a success the next failure gets the base window again.
    expect(await tokens.invalidate(token.accessToken)).toBe(true);
    server.script(failure);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    clock.advance(999);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(TokenEndpointError);
    expect(server.tokenRequests).toHaveLength(4);
    clock.advance(1);
    await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(5);
  });

  it('uses Retry-After as the window when the server sent one', async () => {
    server.script({ status: 429, body: { error: 'slow_down' }, headers: { 'retry-after': '20' } });
    const tokens = manage({ retry: { maxRetryAfterMs: 10_000 } });
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 429, retryAfterMs: 20_000 });
    clock.advance(19_999);
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 429 });
    expect(server.tokenRequests).toHaveLength(1);
    clock.advance(1);
    await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(2);
  });

  it('caps the window at 30 s even when Retry-After asks for a day', async () => {
    server.script({ status: 503, body: {}, headers: { 'retry-after': '86400' } });
    const tokens = manage();
    await expect(tokens.getToken()).rejects.toMatchObject({
      status: 503,
      retryAfterMs: 86_400_000,
    });
    clock.advance(29_999);
    await expect(tokens.getToken()).rejects.toMatchObject({ status: 503 });
    clock.advance(1);
    await tokens.getToken();
    expect(server.tokenRequests).toHaveLength(2);
  });
});
