/**
 * The token parameter sets of one manager (`getToken({ scope, resource })`): each a manager of its
 * own over the flow with those parameters, so its token has its own cache entry, single flight and
 * refresh ahead, and a bounded number of them.
 *
 * @module
 */
import type { Flow } from '../flows/flow.ts';
import { parametersKey, type TokenParameters } from '../token-parameters.ts';
import type { ManagerSettings } from './settings.ts';

/**
 * Parameter sets one manager keeps at most: beyond, the least recently used is closed and
 * dropped (asked for again, it is made anew).
 */
export const maxParameterSets = 100;

/** What the views need of a manager. */
export interface ParameterView {
  getToken(options?: { readonly signal?: AbortSignal | undefined }): Promise<unknown>;
  /** Whether `accessToken` is the view's cached token. */
  holds(accessToken: string): boolean;
  invalidate(accessToken: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The views of one manager, made with `makeView` from the manager's settings with the flow and
 * store key of each parameter set.
 *
 * @example
 * ```ts
 * const views = new ParameterViews(settings, (viewSettings) => new CachingTokenManager(viewSettings));
 * await views.viewFor({ resource: 'https://billing.example.com' }).getToken();
 * ```
 */
export class ParameterViews<View extends ParameterView> {
  /** In order of use: the least recently used first. */
  readonly #views = new Map<string, View>();
  readonly #settings: ManagerSettings;
  readonly #makeView: (settings: ManagerSettings) => View;

  constructor(settings: ManagerSettings, makeView: (settings: ManagerSettings) => View) {
    this.#settings = settings;
    this.#makeView = makeView;
  }

  /**
   * The view of `parameters`, or `undefined` when they ask for nothing. Throws a `TypeError` for
   * bad parameters and for a flow that takes none.
   */
  viewFor(parameters: TokenParameters): View | undefined {
    const key = parametersKey(parameters);
    if (key === undefined) return undefined;
    const known = this.#views.get(key);
    if (known !== undefined) {
      this.#views.delete(key);
      this.#views.set(key, known);
      return known;
    }
    const { flow, cacheKey } = this.#settings;
    const viewFlow = parameterizedFlow(flow, parameters);
    const view = this.#makeView({
      ...this.#settings,
      flow: viewFlow,
      events: undefined, // its own, with its own cache key, made when someone listens
      // An explicit store key gets the parameters appended; else the flow's digest covers them.
      cacheKey: cacheKey === undefined ? undefined : `${cacheKey}:${key}`,
    });
    this.#views.set(key, view);
    if (this.#views.size > maxParameterSets) {
      const [oldestKey, oldest] = this.#views.entries().next().value as [string, View];
      this.#views.delete(oldestKey);
      oldest.close().catch((error: unknown) => this.#settings.onError?.(error));
    }
    return view;
  }

  /** The view whose cached token is `accessToken`, if one holds it. */
  holding(accessToken: string): View | undefined {
    for (const view of this.#views.values()) if (view.holds(accessToken)) return view;
    return undefined;
  }

  /** Closes every view. */
  async close(): Promise<void> {
    const views = [...this.#views.values()];
    this.#views.clear();
    await Promise.all(views.map((view) => view.close()));
  }
}

function parameterizedFlow(flow: Flow, parameters: TokenParameters): Flow {
  if (flow.withParameters === undefined)
    throw new TypeError(
      `getToken: scope and resource are not taken by the ${flow.kind} flow (clientCredentials takes them; a flow that refreshes would rotate one refresh token across several cache entries)`,
    );
  return flow.withParameters(parameters);
}
