/**
 * Contract: registering the adapter with options it cannot use throws a `TypeError` that names
 * the option, before any request.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';

/**
 * Option checks at registration, for one adapter.
 *
 * @example
 * describeRegistration(createContract(driver, useLoopback(driver.core)));
 */
export function describeRegistration<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { driver, client } = contract;

  describe('registration', () => {
    it.each([
      ['no tokens', undefined],
      ['a plain object as tokens', {}],
    ])('refuses %s with a TypeError naming tokens', (_, tokens) => {
      const register = (): unknown =>
        driver.client({ tokens: tokens as unknown as Manager, baseUrl: contract.a.origin });
      expect(register).toThrow(TypeError);
      expect(register).toThrow(/tokens/);
    });

    it('refuses an origin that is not a URL with a TypeError naming origins', () => {
      const register = (): unknown => client({ origins: ['not a url'] });
      expect(register).toThrow(TypeError);
      expect(register).toThrow(/origins/);
    });
  });
}
