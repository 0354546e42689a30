import { inspect } from 'node:util';

/**
 * Every string a value shows through the ways errors and objects get logged, in one text:
 * `String()`, `util.inspect` (with hidden properties, and without custom inspectors),
 * `JSON.stringify`, `message` and `stack`, down the `cause` chain and into an `AggregateError`'s
 * errors. `expect(renderings(error)).not.toContain(secret)` checks them all.
 */
export function renderings(value: unknown): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (current: unknown): void => {
    if (current === undefined || current === null || seen.has(current)) return;
    seen.add(current);
    const deep = { depth: Number.POSITIVE_INFINITY, showHidden: true };
    out.push(
      String(current),
      inspect(current, deep),
      inspect(current, { ...deep, customInspect: false }),
    );
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
  return out.join('\n');
}
