/**
 * @tokenwise/testing: loopback simulators of the seed vendors' token endpoints and APIs, for the
 * tests, the demo and the benchmarks. Private; not published.
 *
 * Each simulator is a real `node:http` server on 127.0.0.1 (port 0) written from its vendor's
 * document, that refuses requests deviating from it, serves a small bearer-protected API, counts
 * everything, runs on an injectable (and skewable) clock, and closes without leftovers.
 *
 * @packageDocumentation
 */

export type {
  Simulator,
  SimulatorOptions,
  SimulatorRequest,
  SimulatorStats,
  VendorName,
} from './simulator.ts';
export {
  type PaSimulator,
  type PaSimulatorOptions,
  paScope,
  startPaSimulator,
} from './simulators/pa.ts';
export {
  type PapayaSimulator,
  type PapayaSimulatorOptions,
  papayaValidUntil,
  startPapayaSimulator,
} from './simulators/papaya.ts';
export {
  type PartnerSimulator,
  type PartnerSimulatorOptions,
  startPartnerSimulator,
} from './simulators/partner.ts';
export {
  type PersonifySimulator,
  type PersonifySimulatorOptions,
  personifyScope,
  startPersonifySimulator,
} from './simulators/personify.ts';
export {
  type PriavaRegion,
  type PriavaSimulator,
  type PriavaSimulatorOptions,
  startPriavaSimulator,
} from './simulators/priava.ts';
export { vendorSimulators } from './simulators/vendor-simulators.ts';
