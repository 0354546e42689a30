import type { ReadStream } from 'node:tty';
import { UsageError } from './settings.ts';

/**
 * Asks for a secret on the terminal without echoing it. Resolves to what was typed (Enter ends
 * it), or `undefined` when stdin is not a terminal; Ctrl-C or Ctrl-D rejects with a UsageError.
 */
export function promptSecret(question: string): Promise<string | undefined> {
  const input = process.stdin as ReadStream;
  if (input.isTTY !== true || typeof input.setRawMode !== 'function') {
    return Promise.resolve(undefined);
  }
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          done();
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          done(new UsageError('cancelled: no secret entered'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}
