/**
 * The runtime's `fetch`, looked up each time it is called rather than when a manager or wrapper is
 * created: a test's interceptor (msw) installed later is used, and the function is called as a
 * plain function, never as a method of some object (Cloudflare Workers throw "Illegal
 * invocation" for a `fetch` called with another `this`).
 *
 * @example
 * ```ts
 * const response = await globalFetch('https://auth.example.com/token', { method: 'POST' });
 * ```
 */
export const globalFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);
