/**
 * The authorization code grant's front channel, scripted: an authorization request followed as a
 * browser follows it (redirects, the provider's cookies), and the provider's login and consent
 * answered for a chosen account.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import type { OidcClients } from './oidc-clients.ts';

/**
 * A browser and its user for one provider: {@link authorize} runs an authorization request for
 * the `app` client; {@link interact} answers the provider's interaction route on the way.
 *
 * @example
 * ```ts
 * const browser = new ScriptedBrowser(provider, issuer, clients.app);
 * authServer.on('request', (req, res) =>
 *   browser.isInteraction(req) ? void browser.interact(req, res) : callback(req, res),
 * );
 * const code = await browser.authorize({ codeChallenge });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export class ScriptedBrowser {
  readonly #provider: Provider;
  readonly #issuer: string;
  readonly #app: OidcClients['app'];
  /** Who logs in at the next interaction. */
  #accountId = 'user-1';

  constructor(provider: Provider, issuer: string, app: OidcClients['app']) {
    this.#provider = provider;
    this.#issuer = issuer;
    this.#app = app;
  }

  /** Whether `req` is for the provider's interaction route (login and consent). */
  isInteraction(req: IncomingMessage): boolean {
    return req.url?.startsWith('/interaction/') ?? false;
  }

  /** The scripted login and consent: whoever asks is the account, and consents. */
  async interact(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accountId = this.#accountId;
    const details = await this.#provider.interactionDetails(req, res);
    const grant = new this.#provider.Grant({
      accountId,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    await this.#provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /**
   * Runs an authorization request for `app` as a browser would, with a scripted login of
   * `accountId` and consent to `openid offline_access`; resolves to the authorization code.
   * A minimal cookie jar keeps the provider's interaction and session cookies, by name.
   */
  async authorize(options: {
    readonly codeChallenge: string;
    readonly accountId?: string;
  }): Promise<string> {
    const app = this.#app;
    this.#accountId = options.accountId ?? 'user-1';
    const jar = new Map<string, string>();
    let url = new URL(`${this.#issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: app.redirectUri,
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge: options.codeChallenge,
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
    }).toString();
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(url, {
        redirect: 'manual',
        headers: { Cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      await res.body?.cancel();
      for (const cookie of res.headers.getSetCookie()) {
        const [pair = ''] = cookie.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (location === null) throw new Error(`authorization stopped at ${res.status}`);
      url = new URL(location, url);
      if (url.href.startsWith(app.redirectUri)) {
        const code = url.searchParams.get('code');
        if (code === null)
          throw new Error(`authorization failed: ${url.searchParams.get('error')}`);
        return code;
      }
    }
    throw new Error('authorization did not reach the redirect URI');
  }
}
