#!/usr/bin/env node
// Draws docs/observability-timeline.svg: one token's life as its events tell it, from a real run
// of `pnpm demo --events` (the demo's last scene: a refresh-token flow with 4-second tokens,
// renewed ahead of expiry, rotating refresh tokens, invalidated at the end). Runs the demo on the
// built packages (build first: `pnpm build`), or reads its output from a file given as argument:
//
//   node scripts/draw-token-timeline.mjs [demo-output.txt]
//
// Only the scene's events are drawn (the tour's managers use client credentials).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = `${root}docs/observability-timeline.svg`;

function demoOutput() {
  if (process.argv[2] !== undefined) return readFileSync(process.argv[2], 'utf8');
  const run = spawnSync(process.execPath, ['examples/demo/src/main.ts', '--events'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the demo failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}

/** The token life's events, with `at`: ms since the first. */
function lifeEvents(text) {
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('[event] '))
    .map((line) => JSON.parse(line.replace(/^\[event\] \S+ /, '')))
    .filter((event) => event.grant === 'refresh_token');
  if (events.length === 0) throw new Error('no token life events in the demo output');
  const start = events[0].time;
  return events.map((event) => ({ ...event, at: event.time - start }));
}

const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;');

function draw(events) {
  const width = 960;
  const left = 150;
  const right = 30;
  const last = Math.max(...events.map((event) => event.at));
  const span = Math.ceil((last + 1_200) / 500) * 500;
  const x = (ms) => left + (Math.min(ms, span) / span) * (width - left - right);
  const lanes = { calls: 70, requests: 120, tokens: 170, marks: 240 };
  const height = 320;
  const parts = [];
  const text = (tx, ty, body, attrs = '') =>
    parts.push(`<text x="${tx.toFixed(1)}" y="${ty}" ${attrs}>${escapeXml(body)}</text>`);

  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  text(left, 24, "One token's life, from the events of `pnpm demo --events`", 'font-weight="bold"');
  for (const [lane, label] of [
    ['calls', 'getToken()'],
    ['requests', 'token requests'],
    ['tokens', 'tokens held'],
    ['marks', 'other events'],
  ])
    text(12, lanes[lane] + 4, label, 'fill="#333"');
  // The time axis, every 500 ms.
  const axis = height - 40;
  parts.push(`<line x1="${left}" y1="${axis}" x2="${width - right}" y2="${axis}" stroke="#999"/>`);
  for (let ms = 0; ms <= span; ms += 500) {
    parts.push(`<line x1="${x(ms)}" y1="${axis}" x2="${x(ms)}" y2="${axis + 5}" stroke="#999"/>`);
    parts.push(`<line x1="${x(ms)}" y1="45" x2="${x(ms)}" y2="${axis}" stroke="#eee"/>`);
    text(x(ms), axis + 18, `${(ms / 1000).toFixed(1)} s`, 'text-anchor="middle" fill="#666"');
  }
  // getToken(): a tick per call, by how it was answered.
  const callColours = { fresh: '#2e7d32', stale: '#f9a825', miss: '#9e9e9e' };
  for (const event of events) {
    const kind =
      event.type === 'token.cache_hit'
        ? event.freshness
        : event.type === 'token.cache_miss'
          ? 'miss'
          : undefined;
    if (kind === undefined) continue;
    parts.push(
      `<line x1="${x(event.at)}" y1="${lanes.calls - 12}" x2="${x(event.at)}" y2="${lanes.calls + 12}" stroke="${callColours[kind]}" stroke-width="3"><title>${escapeXml(`${event.type} ${kind}`)}</title></line>`,
    );
  }
  // Token requests, from requested to obtained (or failed), and the tokens they brought.
  const tokens = [];
  let requested;
  for (const event of events) {
    if (event.type === 'token.requested') requested = event;
    if ((event.type === 'token.obtained' || event.type === 'token.failed') && requested) {
      const colour = event.type === 'token.obtained' ? '#1565c0' : '#c62828';
      const from = x(requested.at);
      const barWidth = Math.max(x(event.at) - from, 3);
      parts.push(
        `<rect x="${from}" y="${lanes.requests - 10}" width="${barWidth}" height="20" fill="${colour}"><title>${escapeXml(`${event.type}: ${event.durationMs} ms, status ${event.status}, attempt ${event.attempt}`)}</title></rect>`,
      );
      text(
        from + barWidth + 4,
        lanes.requests + 4,
        `${requested.reason}, ${event.durationMs} ms, ${event.status}`,
        'fill="#1565c0" font-size="11"',
      );
      if (event.type === 'token.obtained')
        tokens.push({ from: event.at, until: event.at + (event.expiresInMs ?? 0) });
      requested = undefined;
    }
    if (event.type === 'token.invalidated' && tokens.length > 0) tokens.at(-1).droppedAt = event.at;
  }
  tokens.forEach((token, index) => {
    const y = lanes.tokens - 14 + (index % 2) * 16;
    const end = token.droppedAt ?? token.until;
    const next = tokens[index + 1]?.from;
    const held = Math.min(end, next ?? end);
    parts.push(
      `<rect x="${x(token.from)}" y="${y}" width="${x(held) - x(token.from)}" height="12" fill="#90caf9"><title>token ${index + 1} held</title></rect>`,
    );
    if (held < end)
      parts.push(
        `<rect x="${x(held)}" y="${y}" width="${x(end) - x(held)}" height="12" fill="none" stroke="#90caf9" stroke-dasharray="3 2"><title>token ${index + 1}: still valid, replaced</title></rect>`,
      );
    text(x(token.from) + 3, y + 10, `token ${index + 1}`, 'font-size="10" fill="#0d47a1"');
  });
  // Refresh ahead, rotation, invalidation.
  const marks = {
    'token.refresh_ahead': { glyph: '▲', colour: '#f9a825', row: -14, label: 'refresh ahead' },
    'token.refresh_token_rotated': {
      glyph: '◆',
      colour: '#6a1b9a',
      row: 6,
      label: 'refresh token rotated',
    },
    'token.invalidated': { glyph: '✕', colour: '#c62828', row: 26, label: 'invalidated' },
  };
  const labelledAt = new Map();
  for (const event of events) {
    const mark = marks[event.type];
    if (mark === undefined) continue;
    const y = lanes.marks + mark.row;
    text(x(event.at), y + 4, mark.glyph, `text-anchor="middle" fill="${mark.colour}"`);
    // A label only where it does not run into the previous one of its row.
    if (x(event.at) - (labelledAt.get(event.type) ?? -Infinity) < 140) continue;
    labelledAt.set(event.type, x(event.at));
    text(x(event.at) + 8, y + 4, mark.label, `font-size="11" fill="${mark.colour}"`);
  }
  // The legend of the getToken() ticks.
  const legend = [
    ['fresh', 'served, fresh'],
    ['stale', 'served, stale (renewal starts)'],
    ['miss', 'waited for a token request'],
  ];
  legend.forEach(([kind, label], index) => {
    const lx = left + index * 230;
    parts.push(
      `<rect x="${lx}" y="${height - 14}" width="10" height="10" fill="${callColours[kind]}"/>`,
    );
    text(lx + 14, height - 5, label, 'font-size="11" fill="#333"');
  });
  const title =
    "One token's life: obtained, served from the cache, renewed ahead of expiry with its refresh token rotated, invalidated, obtained again";
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">\n<title>${escapeXml(title)}</title>\n${parts.join('\n')}\n</svg>\n`;
}

writeFileSync(output, draw(lifeEvents(demoOutput())));
process.stdout.write(`wrote ${output}\n`);
