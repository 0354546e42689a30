/**
 * tokenwise's test kit (private): the contract suite every adapter runs, the loopback server it
 * runs against, and the generators and renderings of the hostile-peer tests.
 */
export type {
  AdapterDriver,
  ClientOptions,
  CoreFactories,
  ExtraHeaders,
  Loopback,
  ManagerLike,
  Reply,
  SentRequest,
} from './describe-adapter.ts';
export { describeAdapter, readResponse, useLoopback } from './describe-adapter.ts';
export { invalidHeaders, validHeaderValue } from './header-values.ts';
export type { LoopbackServer, RecordedRequest } from './loopback-server.ts';
export { clientId, clientSecret, closedPortOrigin, startServer } from './loopback-server.ts';
export type { RenderingOptions } from './renderings.ts';
export { renderings } from './renderings.ts';
