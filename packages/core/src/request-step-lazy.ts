/**
 * A request step whose code loads on first use: client authentication that only some users need
 * (signing, `'auto'`) and the reading of function-valued request inputs stay out of what every
 * user loads.
 *
 * @module
 */
import type { RequestStep } from './request-step.ts';

/**
 * A {@link RequestStep} that loads the real one (a dynamic import) before its first attempt and
 * delegates to it from then on. A load that fails rejects every attempt with the same error.
 *
 * @example
 * ```ts
 * const step = lazyStep(() => import('./flows/client-auth-auto.ts').then((m) => m.autoClientAuthStep(auto)));
 * ```
 */
export function lazyStep(load: () => Promise<RequestStep>): RequestStep {
  let loading: Promise<RequestStep> | undefined;
  let loaded: RequestStep | undefined;
  return {
    async prepare(request, context) {
      loading ??= load();
      loaded = await loading;
      return loaded.prepare(request, context);
    },
    answered: (response, sent) => loaded?.answered?.(response, sent) === true,
    secrets: () => loaded?.secrets?.() ?? [],
  };
}
