/** Every string an error shows through the usual ways of logging it, causes included. */
import { inspect } from 'node:util';

export function renderings(value: unknown): string {
  const out: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = value;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    out.push(String(current), inspect(current, { depth: 10 }));
    try {
      out.push(JSON.stringify(current) ?? '');
    } catch {
      // circular: String and inspect are enough
    }
    if (!(current instanceof Error)) break;
    out.push(current.message, current.stack ?? '');
    current = current.cause;
  }
  return out.join('\n');
}
