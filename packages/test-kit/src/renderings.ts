import { inspect } from 'node:util';

/** Options of {@link renderings}. */
export interface RenderingOptions {
  /**
   * Also render with `util.inspect`'s `customInspect: false`, which looks past an object's own
   * `[util.inspect.custom]` (a logger rarely does). @default true
   */
  readonly bypassCustomInspect?: boolean;
}

/**
 * Every string a value shows through the ways errors and objects get logged: `String()`,
 * `util.inspect` (with hidden properties, and without custom inspectors), `JSON.stringify`,
 * `message` and `stack`, down the `cause` chain and into an `AggregateError`'s errors.
 *
 * @example
 * const error = await api.get('/members').catch((caught: unknown) => caught);
 * for (const rendering of renderings(error)) expect(rendering).not.toContain(accessToken);
 */
export function renderings(value: unknown, options: RenderingOptions = {}): string[] {
  const { bypassCustomInspect = true } = options;
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (current: unknown): void => {
    if (current === undefined || current === null || seen.has(current)) return;
    seen.add(current);
    const deep = { depth: Number.POSITIVE_INFINITY, showHidden: true };
    out.push(String(current), inspect(current, deep));
    if (bypassCustomInspect) out.push(inspect(current, { ...deep, customInspect: false }));
    try {
      out.push(JSON.stringify(current) ?? '');
    } catch {
      // circular: the other renderings cover it
    }
    if (current instanceof Error) {
      out.push(current.message, current.stack ?? '');
      visit(current.cause);
      if (current instanceof AggregateError) for (const inner of current.errors) visit(inner);
    }
  };
  visit(value);
  return out;
}
