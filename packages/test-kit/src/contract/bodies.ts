/**
 * Contract: the re-send after a 401 carries the same body, byte for byte, with the same
 * `Content-Type` and `Content-Length`; a stream body, which cannot be sent twice, is sent once
 * and its 401 returned, without renewing the token.
 */
import { describe, expect, it } from 'vitest';
import type { Contract } from './contract.ts';
import type { ManagerLike } from './loopback.ts';
import type { SentBody } from './sent-body.ts';

/** A body a client can send twice, the bytes the API must receive, and its media type if fixed. */
interface ReplayableCase {
  readonly case: string;
  readonly body: SentBody;
  readonly received: Uint8Array;
  readonly type: string | undefined;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const json = { name: 'Ada', tags: ['x', 'ü'], n: 1 };
const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 256);

const replayable: readonly ReplayableCase[] = [
  {
    case: 'text',
    body: { kind: 'text', text: 'plain text body' },
    received: utf8('plain text body'),
    type: undefined,
  },
  {
    case: 'JSON',
    body: { kind: 'json', json },
    received: utf8(JSON.stringify(json)),
    type: 'application/json',
  },
  {
    case: 'a form',
    body: { kind: 'form', form: { a: '1', b: 'two words' } },
    received: utf8('a=1&b=two+words'),
    type: 'application/x-www-form-urlencoded',
  },
  { case: '70,000 binary bytes', body: { kind: 'bytes', bytes }, received: bytes, type: undefined },
];

/**
 * Request bodies on the re-send, for one adapter.
 *
 * @example
 * describeBodies(createContract(driver, useLoopback(driver.core)));
 */
export function describeBodies<Client, Manager extends ManagerLike>(
  contract: Contract<Client, Manager>,
): void {
  const { client, get, send } = contract;

  describe('request bodies', () => {
    it.each(replayable)(
      're-sends a POST with $case identically after a 401',
      async ({ body, received, type }) => {
        const { a } = contract;
        const api = client();
        await get(api, a.url('/warm'));
        a.revokeAll();
        const reply = await send(api, { method: 'POST', url: a.url('/upload'), body });
        expect(reply.status).toBe(200);
        expect(a.apiCalls).toHaveLength(3);
        const [first, second] = a.apiCalls.slice(1);
        expect([first?.method, second?.method]).toEqual(['POST', 'POST']);
        expect(first?.headers.authorization).toBe(`Bearer ${a.issued[0]}`);
        expect(second?.headers.authorization).toBe(`Bearer ${a.issued[1]}`);
        expect(first?.bytes.equals(received)).toBe(true);
        expect(second?.bytes.equals(received)).toBe(true);
        expect(first?.headers['content-length']).toBe(String(received.length));
        expect(second?.headers['content-length']).toBe(String(received.length));
        if (type !== undefined) expect(first?.headers['content-type']).toContain(type);
        expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
      },
    );

    it('sends a stream body once: its 401 is returned and the token is not renewed', async () => {
      const { a } = contract;
      const api = client();
      await get(api, a.url('/warm'));
      a.revokeAll();
      const body: SentBody = { kind: 'stream', chunks: ['chunk-1', 'chunk-2'] };
      const reply = await send(api, { method: 'POST', url: a.url('/upload'), body });
      expect(reply.status).toBe(401);
      expect(a.apiCalls).toHaveLength(2);
      expect(a.apiCalls[1]?.body).toBe('chunk-1chunk-2');
      expect(a.tokenRequests).toHaveLength(1);
    });
  });
}
