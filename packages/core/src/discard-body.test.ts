import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { discardBody } from './discard-body.ts';

describe('discardBody', () => {
  it('destroys a Node stream', () => {
    const body = Readable.from(['unread']);
    discardBody(body);
    expect(body.destroyed).toBe(true);
  });

  it('cancels a web stream', async () => {
    let cancelled = false;
    const body = new ReadableStream({
      cancel: () => {
        cancelled = true;
      },
    });
    discardBody(body);
    await Promise.resolve();
    expect(cancelled).toBe(true);
  });

  it('a cancel that fails is caught: no unhandled rejection reaches the process', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      let asked = false;
      const failing = new ReadableStream({
        cancel: () => {
          asked = true;
          return Promise.reject(new Error('gone'));
        },
      });
      discardBody(failing);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(asked).toBe(true);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('leaves a body the client read already alone, whatever its fields', () => {
    const cancel = vi.fn();
    const parsed = { json: true, cancel };
    const bytes = new Uint8Array([1, 2]);
    for (const body of ['text', parsed, bytes, null, undefined]) discardBody(body);
    expect(cancel).not.toHaveBeenCalled();
    expect([...bytes]).toEqual([1, 2]);
  });
});
