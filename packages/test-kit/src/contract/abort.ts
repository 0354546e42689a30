/**
 * Contract: the caller's `AbortSignal` ends a request wherever it is (waiting for the token, on
 * the wire, waiting for the token of the re-send) with the client's abort error, and nothing more
 * is sent for it; other requests waiting for the same token still get it.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/** Whether `promise` is still pending once the current macrotask queue has run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const tick = new Promise((resolve) => setTimeout(() => resolve(pending), 20));
  return (await Promise.race([promise.catch(() => undefined), tick])) === pending;
}

/**
 * Aborting a request, for one adapter.
 *
 * @example
 * describeAbort(createContract(driver, useLoopback(driver.core)));
 */
export function describeAbort<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client, get } = contract;
  const reason = new Error('the caller gave up');

  describe('abort', () => {
    it("rejects a request aborted while it waits for the token with the client's abort error; others still get the token", async () => {
      const { a } = contract;
      const release = a.holdTokens();
      const api = client();
      const controller = new AbortController();
      const mine = driver.outcome(api, { url: a.url('/mine'), signal: controller.signal });
      const theirs = get(api, a.url('/theirs'));
      await a.tokenRequestsReached(1);
      controller.abort(reason);
      expect(driver.isAbortError(await mine, reason)).toBe(true);
      expect(await isPending(theirs)).toBe(true);
      release();
      expect((await theirs).status).toBe(200);
      expect(a.apiCalls.map((call) => call.path)).toEqual(['/theirs']);
      expect(a.tokenRequests).toHaveLength(1);
    });

    it("rejects a request aborted on the wire with the client's abort error, and does not re-send it", async () => {
      const { a } = contract;
      const controller = new AbortController();
      const mine = driver.outcome(client(), { url: a.url('/hang'), signal: controller.signal });
      await expect.poll(() => a.apiCalls.length).toBe(1);
      controller.abort(reason);
      expect(driver.isAbortError(await mine, reason)).toBe(true);
      expect(a.apiCalls).toHaveLength(1);
    });

    it("rejects a request aborted while its re-send waits for a fresh token with the client's abort error", async () => {
      const { a } = contract;
      const api = client();
      await get(api, a.url('/warm'));
      a.revokeAll();
      const release = a.holdTokens();
      const controller = new AbortController();
      const mine = driver.outcome(api, { url: a.url('/members'), signal: controller.signal });
      await a.tokenRequestsReached(2);
      controller.abort(reason);
      expect(driver.isAbortError(await mine, reason)).toBe(true);
      release();
      await new Promise((resolve) => setTimeout(resolve, 50)); // the token the re-send waited for
      expect(a.apiCalls.map((call) => call.path)).toEqual(['/warm', '/members']);
    });

    it("rejects a request whose signal is already aborted with the client's abort error, sending nothing, token at hand or not", async () => {
      const { a } = contract;
      const api = client();
      const aborted = AbortSignal.abort(reason);
      const cold = await driver.outcome(api, { url: a.url('/members'), signal: aborted });
      expect(driver.isAbortError(cold, reason)).toBe(true);
      await get(api, a.url('/warm'));
      const warm = await driver.outcome(api, { url: a.url('/members'), signal: aborted });
      expect(driver.isAbortError(warm, reason)).toBe(true);
      expect(a.apiCalls.map((call) => call.path)).toEqual(['/warm']);
    });
  });
}
