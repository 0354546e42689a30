import type { Contender } from './contender.ts';
import { axiosSession, gotSession, kySession, staticAxios, staticGot, staticKy } from './floors.ts';

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
export const references: readonly Contender[] = [
  {
    name: 'axios with idle interceptors',
    client: 'axios',
    kind: 'reference',
    connect(target) {
      const api = staticAxios(target);
      // axios-auth: an async request interceptor, a response interceptor with an error handler.
      api.interceptors.request.use(async (config) => config);
      api.interceptors.response.use(
        (response) => response,
        async (error: unknown) => {
          throw error;
        },
      );
      return axiosSession(api);
    },
  },
  {
    name: 'got with idle hooks',
    client: 'got',
    kind: 'reference',
    // got-auth's hooks, returning at once as got-auth does when the token is at hand.
    connect: (target) =>
      gotSession(
        staticGot(target, {
          init: [() => {}],
          beforeRequest: [() => {}],
          beforeRedirect: [() => {}],
          afterResponse: [(response) => response],
          beforeError: [(error) => error],
        }),
      ),
  },
  {
    name: 'ky with an idle init hook',
    client: 'ky',
    kind: 'reference',
    // ky-auth on ky 2: an init hook (its beforeRequest and beforeRetry hooks are taken out).
    connect: (target) => kySession(staticKy(target, { init: [() => {}] })),
  },
];
