/**
 * The registered symbols tokenwise objects answer to, shared by every module that defines them.
 *
 * @module
 */

/**
 * Node's `util.inspect.custom`, by its registered name: what `console.log` of a token, an error
 * or a manager shows, without importing `node:util`.
 *
 * @example
 * ```ts
 * Object.defineProperty(token, inspectSymbol, { value: () => 'Token { <redacted> }' });
 * ```
 */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/**
 * `Symbol.asyncDispose`, or where a runtime lacks it the registered symbol that transpiled
 * `await using` looks up (TypeScript's and core-js's helpers).
 *
 * @example
 * ```ts
 * prototype[asyncDispose] = prototype.close;
 * ```
 */
export const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);
