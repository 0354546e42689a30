/**
 * `@tokenwise/test-kit/server`: the loopback server and its request/response helpers alone,
 * without the contract suite (which imports vitest): for simulators and scripts that run
 * outside a test runner.
 */

export type { RouteHandler } from './loopback/api-routes.ts';
export { readRequest, writeResponse } from './loopback/node-bridge.ts';
export type { LoopbackServerOptions } from './loopback/options.ts';
export type { AcceptCodeOptions } from './loopback/seeds.ts';
export type { ScriptedAnswer } from './loopback/token-front.ts';
export { Waits } from './loopback/waits.ts';
export type { LoopbackServer, RecordedRequest } from './loopback-server.ts';
export {
  clientId,
  clientSecret,
  closeAllServers,
  closedPortOrigin,
  closedPortUrl,
  startServer,
} from './loopback-server.ts';
