import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { discardBody } from './discard-body.ts';

describe('discardBody', () => {
  it('destroys a Node stream', () => {
    const body = Readable.from(['unread']);
    discardBody(body);
    expect(body.destroyed).toBe(true);
  });

  it('cancels a web stream, and ignores a cancel that fails', async () => {
    let cancelled = false;
    const body = new ReadableStream({
      cancel: () => {
        cancelled = true;
      },
    });
    discardBody(body);
    await Promise.resolve();
    expect(cancelled).toBe(true);
    const failing = new ReadableStream({ cancel: () => Promise.reject(new Error('gone')) });
    expect(() => discardBody(failing)).not.toThrow();
  });

  it('leaves a body the client read already alone', () => {
    for (const body of ['text', { json: true }, new Uint8Array(2), null, undefined])
      expect(() => discardBody(body)).not.toThrow();
  });
});
