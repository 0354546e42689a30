/**
 * The code a renewal runs: the grant sequence, the store lock, the token endpoint client and
 * everything they use. It is loaded with the process's first renewal (see `lazy-renewal.ts`), so
 * a bundle loads at start only what creating a manager and serving its cached token take.
 *
 * @module
 */
export { GrantSequence } from './grant-sequence.ts';
export { Renewer } from './renewal.ts';
