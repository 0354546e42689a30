/** The kit's renderings, for the tests that still import this path (packages/testing). */
export { renderings } from '@tokenwise/test-kit';
