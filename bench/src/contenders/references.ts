import axios from 'axios';
import type { Hooks } from 'got';
import type { Contender } from './contender.ts';
import {
  authorization,
  axiosSession,
  gotSession,
  kySession,
  staticAxios,
  staticGot,
  staticKy,
} from './floors.ts';

/**
 * Each bare client with a static header and hooks that do nothing, registered the way tokenwise's
 * adapter registers its own: what the client itself charges for being extended, which no adapter
 * built on those hooks can avoid. Timed in scenario 4 only.
 *
 * @example
 * ```ts
 * const session = references[0].connect({ baseUrl, tokenUrl, transport });
 * ```
 */
/** got-auth's hooks, returning at once as got-auth does when the token is at hand. */
const idleGotHooks: Partial<Hooks> = {
  init: [() => {}],
  beforeRequest: [() => {}],
  beforeRedirect: [() => {}],
  afterResponse: [(response) => response],
  beforeError: [(error) => error],
};

export const references: readonly Contender[] = [
  {
    name: 'axios with an idle interceptor and adapter',
    client: 'axios',
    kind: 'reference',
    connect(target) {
      const api = staticAxios(target);
      // axios-auth: a synchronous request interceptor that wraps the request's adapter.
      api.interceptors.request.use(
        (config) => {
          const adapter = axios.getAdapter(config.adapter ?? axios.defaults.adapter, config);
          config.adapter = (sent) => adapter(sent);
          return config;
        },
        undefined,
        { synchronous: true },
      );
      return axiosSession(api);
    },
  },
  {
    name: 'got with idle hooks',
    client: 'got',
    kind: 'reference',
    connect: (target) => gotSession(staticGot(target, idleGotHooks)),
  },
  {
    name: 'got with idle hooks, one setting the header',
    client: 'got',
    kind: 'reference',
    // Without the static header: the beforeRequest hook sets it on each request, as any token
    // layer on got's hooks must. got records each header set through its options.
    connect: (target) =>
      gotSession(
        staticGot(
          target,
          {
            ...idleGotHooks,
            beforeRequest: [
              (options) => {
                options.headers.authorization = authorization;
              },
            ],
          },
          {},
        ),
      ),
  },
  {
    name: 'ky with idle hooks',
    client: 'ky',
    kind: 'reference',
    // The hooks ky-auth registers: init, beforeRequest, afterResponse, beforeError.
    connect: (target) =>
      kySession(
        staticKy(target, {
          init: [() => {}],
          beforeRequest: [() => {}],
          afterResponse: [() => {}],
          beforeError: [({ error }) => error],
        }),
      ),
  },
  {
    name: 'ky with idle hooks and room for one retry',
    client: 'ky',
    kind: 'reference',
    // The same, and `retry.limit` raised by one in `init`, as ky-auth raises it so that its
    // `ky.retry()` after a 401 is allowed with `retry: 0`: ky then clones every request before
    // sending it, as it does for any limit above 0.
    connect: (target) =>
      kySession(
        staticKy(target, {
          init: [
            (options) => {
              options.retry = 1;
            },
          ],
          beforeRequest: [() => {}],
          afterResponse: [() => {}],
          beforeError: [({ error }) => error],
        }),
      ),
  },
];
