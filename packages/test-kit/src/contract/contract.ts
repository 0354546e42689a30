/**
 * What every group of the contract suite works with: the driver, the running test's servers and
 * manager, and short ways to build a client, send through it, and skip visibly what the client
 * cannot express.
 */
import { it } from 'vitest';
import type {
  AdapterDriver,
  ClientOptions,
  MissingCapabilities,
  Reply,
  SentRequest,
} from '../describe-adapter.ts';
import type { LoopbackServer } from '../loopback-server.ts';
import type { Loopback, ManagerLike } from './loopback.ts';

/** A test body as vitest runs it. */
type TestBody = () => Promise<void> | void;

/** The driver and fixtures of one adapter's run of the suite (see {@link createContract}). */
export interface Contract<Client, Manager extends ManagerLike> extends Loopback<Manager> {
  readonly driver: AdapterDriver<Client, Manager, unknown>;
  /** A client of the test's manager whose base URL is `a`'s origin, unless `options` say. */
  client(options?: Partial<ClientOptions<Manager>>): Client;
  /** A GET of the absolute `url`, its reply whatever the status. */
  get(from: Client, url: string): Promise<Reply>;
  /** Sends `request`, its reply whatever the status. */
  send(from: Client, request: SentRequest): Promise<Reply>;
  /** A URL of `from` that redirects to `to` with `status`. */
  redirect(from: LoopbackServer, to: string, status?: number): string;
  /**
   * `it`, or, when the client lacks `capability`, `it.skip` with the driver's reason appended to
   * the test's name.
   */
  itNeeds(capability: keyof MissingCapabilities): (name: string, body: TestBody) => void;
}

/**
 * The {@link Contract} of one driver, reading servers and manager from `loopback` at test time.
 *
 * @example
 * const contract = createContract(driver, useLoopback(driver.core));
 * describeAttaching(contract);
 */
export function createContract<Client, Manager extends ManagerLike>(
  driver: AdapterDriver<Client, Manager, unknown>,
  loopback: Loopback<Manager>,
): Contract<Client, Manager> {
  return {
    driver,
    get a() {
      return loopback.a;
    },
    get b() {
      return loopback.b;
    },
    get tokens() {
      return loopback.tokens;
    },
    client: (options = {}) =>
      driver.client({ tokens: loopback.tokens, baseUrl: loopback.a.origin, ...options }),
    get: (from, url) => driver.send(from, { url }),
    send: (from, request) => driver.send(from, request),
    redirect: (from, to, status = 302) =>
      from.url(`/redirect?${new URLSearchParams({ to, status: String(status) })}`),
    itNeeds: (capability) => {
      const missing = driver.lacks?.[capability];
      if (missing === undefined) return (name, body) => it(name, body);
      return (name, body) => it.skip(`${name} (skipped: ${missing})`, body);
    },
  };
}
