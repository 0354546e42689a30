/**
 * Contract: extra headers that cannot be sent unchanged are refused with a `TypeError` naming the
 * header (at registration, or before anything is sent for a header function's result); every
 * valid value arrives byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidHeaders, validHeaderValue } from '../header-values.ts';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Header hygiene, for one adapter.
 *
 * @example
 * describeHeaderHygiene(createContract(driver, useLoopback(driver.core)));
 */
export function describeHeaderHygiene<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { client, get } = contract;

  describe('header hygiene', () => {
    it.each(invalidHeaders)(
      'refuses static headers with $case at registration, naming the header',
      ({ headers, name }) => {
        expect(() => client({ headers })).toThrow(TypeError);
        expect(() => client({ headers })).toThrow(name);
      },
    );

    it.each(invalidHeaders)(
      'rejects a request whose header function returns $case with that TypeError, sending nothing',
      async ({ headers, name }) => {
        const { a } = contract;
        const error = await get(client({ headers: () => headers }), a.url('/members')).catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TypeError);
        expect((error as object).constructor).toBe(TypeError); // not wrapped by the client
        expect(String(error)).toContain(name);
        expect(a.apiCalls).toHaveLength(0);
      },
    );

    it('sends every valid value byte for byte (1,000 values, static and from a function)', async () => {
      const { a } = contract;
      await fc.assert(
        fc.asyncProperty(validHeaderValue, fc.boolean(), async (value, fromFunction) => {
          const headers = { 'X-Value': value };
          const reply = await get(
            client({ headers: fromFunction ? () => headers : headers }),
            a.url('/members'),
          );
          expect(reply.status).toBe(200);
          expect(a.apiCalls.at(-1)?.headers['x-value']).toBe(value);
        }),
        { numRuns: 1_000 },
      );
    }, 30_000); // 1,000 real requests
  });
}
