/**
 * A markdown table.
 *
 * @example
 * ```ts
 * table(['a', 'b'], [['1', '2']]); // '| a | b |\n| --- | --- |\n| 1 | 2 |'
 * ```
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * A goal's cell: ✅ or ❌, then the figure.
 *
 * @example
 * ```ts
 * mark(true, '1'); // '✅ 1'
 * ```
 */
export function mark(ok: boolean, text: string): string {
  return `${ok ? '✅' : '❌'} ${text}`;
}

/**
 * Nanoseconds as microseconds: two decimals below 10 µs, one above.
 *
 * @example
 * ```ts
 * us(1_360); // '1.36'
 * ```
 */
export function us(ns: number): string {
  return (ns / 1000).toFixed(ns < 10_000 && ns > -10_000 ? 2 : 1);
}

/**
 * A share as a percentage with one decimal.
 *
 * @example
 * ```ts
 * percent(0.0123); // '1.2 %'
 * ```
 */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/**
 * A byte count with thousands separators.
 *
 * @example
 * ```ts
 * bytes(12143); // '12,143 B'
 * ```
 */
export function bytes(count: number): string {
  return `${Math.round(count).toLocaleString('en')} B`;
}

/**
 * A ratio as `×1.23`.
 *
 * @example
 * ```ts
 * times(1.234); // '×1.23'
 * ```
 */
export function times(ratio: number): string {
  return `×${ratio.toFixed(2)}`;
}
