import diagnosticsChannel from 'node:diagnostics_channel';
import type { TokenEvent } from '@tokenwise/core';
import { tokenEventTypes } from '@tokenwise/core/adapter';

/**
 * One line per event: `[event] <type> <the event as JSON>`, what `scripts/draw-token-timeline.mjs`
 * reads back. An event holds no secret, so it is printed whole.
 *
 * @example
 * formatEvent(event); // '[event] token.obtained {"type":"token.obtained",…}'
 */
export function formatEvent(event: TokenEvent): string {
  return `[event] ${event.type} ${JSON.stringify(event)}`;
}

/**
 * Prints the events of every token manager of this process (each one's `tokenwise:<type>`
 * diagnostics channel) with `write`, until the returned function is called.
 *
 * @example
 * const stop = printEvents((line) => process.stdout.write(`${line}\n`));
 */
export function printEvents(write: (line: string) => void): () => void {
  const print = (message: unknown) => write(formatEvent(message as TokenEvent));
  for (const type of tokenEventTypes) diagnosticsChannel.subscribe(`tokenwise:${type}`, print);
  return () => {
    for (const type of tokenEventTypes) diagnosticsChannel.unsubscribe(`tokenwise:${type}`, print);
  };
}
