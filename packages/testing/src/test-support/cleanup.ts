/** Everything a test starts is registered here and released after it, in reverse order. */
import { afterEach } from 'vitest';

type Release = () => unknown;
const pending: Release[] = [];

afterEach(async () => {
  for (const release of pending.splice(0).reverse()) await release();
});

/** Releases `resource` after the current test; returns it. */
export function defer<T extends { close(): unknown }>(resource: T): T {
  pending.push(() => resource.close());
  return resource;
}
