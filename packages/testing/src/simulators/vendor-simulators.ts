/**
 * Every seed vendor's simulator by name, for code that runs them all (the demo, the benchmarks).
 *
 * @module
 */
import type { Simulator, SimulatorOptions, VendorName } from '../simulator.ts';
import { startPaSimulator } from './pa.ts';
import { startPapayaSimulator } from './papaya.ts';
import { startPartnerSimulator } from './partner.ts';
import { startPersonifySimulator } from './personify.ts';
import { startPriavaSimulator } from './priava.ts';

/**
 * The start function of each vendor's simulator.
 *
 * @example
 * ```ts
 * import { vendorSimulators } from '@tokenwise/testing';
 *
 * for (const [vendor, start] of Object.entries(vendorSimulators)) {
 *   await using sim = await start({ tokenLatencyMs: 20 });
 *   console.log(vendor, sim.tokenUrl);
 * }
 * ```
 */
export const vendorSimulators: {
  readonly [K in VendorName]: (options?: SimulatorOptions) => Promise<Simulator & { vendor: K }>;
} = {
  pa: startPaSimulator,
  priava: startPriavaSimulator,
  papaya: startPapayaSimulator,
  personify: startPersonifySimulator,
  partner: startPartnerSimulator,
};
