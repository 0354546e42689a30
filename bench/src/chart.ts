import type { OverheadResult } from './scenarios/overhead.ts';

/** The per-request overhead goal, in µs. */
export const overheadGoalUs = 2;

const width = 820;
const labelWidth = 330;
const plotLeft = labelWidth + 10;
const plotRight = width - 120;
const rowHeight = 24;
const groupGap = 14;
const top = 74;
const colors = { tokenwise: '#2563eb', anchor: '#f59e0b' } as const;

/**
 * Renders scenario 4 as an SVG bar chart: for every contender but the floors, the time it adds per
 * request over its bare client, grouped by client, with the 2 µs goal as a dashed line. Plain SVG
 * text, no dependencies.
 *
 * @example
 * ```ts
 * writeFileSync('docs/benchmarks.svg', renderOverheadChart(results.overhead));
 * ```
 */
export function renderOverheadChart(rows: readonly OverheadResult[]): string {
  const shown = rows.filter((row) => row.kind !== 'floor');
  const maxUs = Math.max(overheadGoalUs, ...shown.map((row) => row.overheadNs / 1000));
  const { step, max } = niceScale(maxUs * 1.05);
  const x = (us: number): number => plotLeft + (Math.max(0, us) / max) * (plotRight - plotLeft);

  const parts: string[] = [];
  let y = top;
  let client: string | undefined;
  for (const row of shown) {
    if (row.client !== client) {
      if (client !== undefined) y += groupGap;
      client = row.client;
      parts.push(
        `<text x="8" y="${y + 15}" class="group">${escapeXml(client)}</text>`,
        `<line x1="8" x2="${plotRight}" y1="${y + 20}" y2="${y + 20}" class="rule"/>`,
      );
      y += rowHeight;
    }
    const us = row.overheadNs / 1000;
    const barEnd = x(us);
    // A value that would sit on the goal line goes right of it.
    const labelX =
      barEnd < x(overheadGoalUs) + 4 && barEnd > x(overheadGoalUs) - 90
        ? x(overheadGoalUs) + 6
        : barEnd + 6;
    const color = row.kind === 'tokenwise' ? colors.tokenwise : colors.anchor;
    parts.push(
      `<text x="${labelWidth}" y="${y + 16}" class="label" text-anchor="end">${escapeXml(row.contender)}</text>`,
      `<rect x="${plotLeft}" y="${y + 4}" width="${(barEnd - plotLeft).toFixed(1)}" height="${rowHeight - 8}" fill="${color}"/>`,
      `<text x="${labelX.toFixed(1)}" y="${y + 16}" class="value">${us.toFixed(1)} µs (×${row.ratio.toFixed(2)})</text>`,
    );
    y += rowHeight;
  }
  const bottom = y + 8;
  const ticks: string[] = [];
  for (let value = 0; value <= max + 1e-9; value += step) {
    const tx = x(value).toFixed(1);
    ticks.push(
      `<line x1="${tx}" x2="${tx}" y1="${top - 4}" y2="${bottom}" class="grid"/>`,
      `<text x="${tx}" y="${bottom + 16}" class="tick" text-anchor="middle">${formatTick(value)}</text>`,
    );
  }
  const goalX = x(overheadGoalUs).toFixed(1);
  const height = bottom + 58;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title">
<title id="title">Time added per request over the bare client (in-process transport)</title>
<style>
  text { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; fill: #111827; }
  .heading { font-size: 16px; font-weight: 600; }
  .sub, .tick, .legend { font-size: 11px; fill: #4b5563; }
  .group { font-size: 12px; font-weight: 600; }
  .label, .value { font-size: 12px; }
  .grid { stroke: #e5e7eb; }
  .rule { stroke: #d1d5db; }
  .goal { stroke: #dc2626; stroke-dasharray: 5 4; stroke-width: 1.5; }
  .goal-label { font-size: 11px; fill: #dc2626; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="8" y="22" class="heading">Time added per request over the bare client</text>
<text x="8" y="40" class="sub">µs per request, in-process transport (lower is better); × = time per request relative to the bare client with a static header</text>
${ticks.join('\n')}
<line x1="${goalX}" x2="${goalX}" y1="${top - 4}" y2="${bottom}" class="goal"/>
<text x="${goalX}" y="${top - 8}" class="goal-label" text-anchor="middle">goal ${overheadGoalUs} µs</text>
${parts.join('\n')}
<text x="${((plotLeft + plotRight) / 2).toFixed(1)}" y="${bottom + 32}" class="tick" text-anchor="middle">µs added per request</text>
<rect x="8" y="${bottom + 40}" width="12" height="12" fill="${colors.tokenwise}"/>
<text x="26" y="${bottom + 50}" class="legend">tokenwise</text>
<rect x="100" y="${bottom + 40}" width="12" height="12" fill="${colors.anchor}"/>
<text x="118" y="${bottom + 50}" class="legend">alternatives</text>
</svg>
`;
}

/** An axis maximum and tick step of 1, 2 or 5 × 10^k, about five ticks. */
function niceScale(max: number): { step: number; max: number } {
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  return { step, max: Math.ceil(max / step) * step };
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
