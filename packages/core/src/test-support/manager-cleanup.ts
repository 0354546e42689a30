/** Token managers that a test file makes and that are closed after each test, pass or fail. */
import { afterEach } from 'vitest';
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerOptions,
} from '../token-manager.ts';

/**
 * Registers an `afterEach` (in the suite it is called in) that closes every manager made with the
 * returned function since the last test.
 */
export function managersClosedAfterEach(): (options: TokenManagerOptions) => TokenManager {
  const managers: TokenManager[] = [];
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
  });
  return (options) => {
    const manager = createTokenManager(options);
    managers.push(manager);
    return manager;
  };
}
