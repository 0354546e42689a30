/**
 * The DPoP code a token manager loads on first use (see `lazy-dpop-session.ts`): the session, its
 * key and the token-endpoint proofs, one chunk. Adapters load `dpop-authorization.ts` apart.
 *
 * @module
 */
export { DpopKey } from './dpop-key.ts';
export { DpopSession } from './dpop-session.ts';
export { withTokenEndpointProofs } from './token-endpoint-proofs.ts';
