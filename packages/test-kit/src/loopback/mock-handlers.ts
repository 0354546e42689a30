/**
 * The mock's own endpoints (`/token`, `/authorize`, `/jwks`, metadata) as the socket reaches
 * them: a recorded request handed to the mock's msw handlers with `getResponse`, one issuing call
 * at a time (see {@link TokenNames}).
 */
import type { MockOAuthServer } from '@tokenwise/msw';
import { getResponse } from 'msw';
import { type RecordedRequest, toFetchRequest } from './node-bridge.ts';
import type { TokenNames } from './token-names.ts';

/**
 * The mock's handlers behind the loopback server.
 *
 * @example
 * await writeResponse(res, await new MockHandlers(oauth, names).answer(request));
 */
export class MockHandlers {
  /** The paths of the mock's endpoints below the server's origin. */
  readonly paths: ReadonlySet<string>;
  readonly #oauth: MockOAuthServer;
  readonly #names: TokenNames;

  /**
   * @example
   * const mock = new MockHandlers(oauth, names);
   * if (mock.paths.has(request.path)) await writeResponse(res, await mock.answer(request));
   */
  constructor(oauth: MockOAuthServer, names: TokenNames) {
    this.#oauth = oauth;
    this.#names = names;
    this.paths = new Set(Object.values(oauth.endpoints).map((url) => new URL(url).pathname));
  }

  /** The mock's answer to `request` (404 for a path it has no handler for). */
  async answer(request: RecordedRequest): Promise<Response> {
    const handlers = [...this.#oauth.handlers];
    const response = await this.#names.run({}, () =>
      getResponse(handlers, toFetchRequest(request)),
    );
    return response ?? Response.json({ error: 'not_found' }, { status: 404 });
  }
}
