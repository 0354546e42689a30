/**
 * tokenwise's test kit (private): the contract suite every adapter runs, the loopback server it
 * runs against (also alone: `@tokenwise/test-kit/server`), and the generators and renderings of the hostile-peer tests.
 */

export { dpopRoute, type Step as DpopRouteStep } from './contract/dpop-route.ts';
export { type FetchInit, fetchInit, type SentBody } from './contract/sent-body.ts';
export type {
  AdapterCore,
  AdapterDriver,
  ClientOptions,
  CoreFactories,
  ExtraHeaders,
  Loopback,
  ManagerLike,
  MissingCapabilities,
  Reply,
  SentRequest,
} from './describe-adapter.ts';
export { describeAdapter, readResponse, useLoopback } from './describe-adapter.ts';
export {
  type AcceptedProof,
  DpopProofRefusal,
  type ProofExpectations,
  verifyDpopProof,
} from './dpop/verify-proof.ts';
export { invalidHeaders, validHeaderValue } from './header-values.ts';
export type { RenderingOptions } from './renderings.ts';
export { renderings } from './renderings.ts';
export { runScript, type ScriptRun } from './run-script.ts';
export * from './server.ts';
