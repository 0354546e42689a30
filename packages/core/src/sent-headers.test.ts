import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import { closeAllServers, closedPortOrigin, startServer } from '@tokenwise/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { redactSentHeaders } from './sent-headers.ts';

const token = 'Bearer at-5f1c9e2d7a';
const tenant = 'tenant-8a7b6c';

describe('redactSentHeaders', () => {
  afterAll(closeAllServers);

  it('hides the named headers of a sent Node ClientRequest, in any letter case, and keeps the others', async () => {
    const server = await startServer();
    const request = httpRequest(server.url('/public/x'), {
      headers: { Authorization: token, 'X-Tenant-Id': tenant, 'X-Trace': 'trace-1' },
    });
    request.end();
    const [response] = (await once(request, 'response')) as [IncomingMessage];
    response.resume();
    expect(response.statusCode).toBe(200);
    expect(inspect(request, { depth: Number.POSITIVE_INFINITY })).toContain(token);

    redactSentHeaders(request, ['authorization', 'X-TENANT-ID']);

    const rendered = inspect(request, { depth: Number.POSITIVE_INFINITY });
    expect(rendered).not.toContain('at-5f1c9e2d7a');
    expect(rendered).not.toContain(tenant);
    expect(request.getHeader('authorization')).toBe('[redacted]');
    expect(request.getHeader('x-trace')).toBe('trace-1');
  });

  it('hides them in a fetch Request', () => {
    const request = new Request('https://api.example.com/', {
      headers: { Authorization: token, 'X-Tenant-Id': tenant, Accept: 'text/plain' },
    });
    redactSentHeaders(request, ['Authorization', 'X-Tenant-Id']);
    expect(Object.fromEntries(request.headers)).toEqual({
      accept: 'text/plain',
      authorization: '[redacted]',
      'x-tenant-id': '[redacted]',
    });
  });

  it("hides them in follow-redirects' wrapper and the request it points to", () => {
    const current = { _header: `GET / HTTP/1.1\r\nAuthorization: ${token}\r\nHost: a\r\n\r\n` };
    const wrapper = {
      _options: { headers: { Authorization: token, Host: 'a' } },
      _currentRequest: current,
    };
    redactSentHeaders(wrapper, ['authorization']);
    expect(wrapper._options.headers).toEqual({ Authorization: '[redacted]', Host: 'a' });
    expect(current._header).toBe('GET / HTTP/1.1\r\nAuthorization: [redacted]\r\nHost: a\r\n\r\n');
  });

  it('hides them in a Node ClientRequest whose connection was refused (its header block never left)', async () => {
    const request = httpRequest(`${await closedPortOrigin()}/x`, {
      method: 'POST',
      headers: { Authorization: token, 'X-Tenant-Id': tenant },
    });
    request.end(Buffer.from('{"a":1}'));
    await once(request, 'error');
    const hidden = { depth: Number.POSITIVE_INFINITY, showHidden: true };
    expect(inspect(request, hidden)).toContain('at-5f1c9e2d7a');

    redactSentHeaders(request, ['authorization', 'x-tenant-id']);

    expect(inspect(request, hidden)).not.toContain('at-5f1c9e2d7a');
    expect(inspect(request, hidden)).not.toContain(tenant);
  });

  it.each([
    ['a string', (block: string) => `${block}{"a":1}`],
    ['a Buffer', (block: string) => Buffer.from(`${block}{"a":1}`, 'latin1')],
    ['a Uint8Array', (block: string) => Uint8Array.from(block, (char) => char.charCodeAt(0))],
  ])('hides them in writes still queued as %s: the request’s and its socket’s', (_, data) => {
    const sent = `POST / HTTP/1.1\r\nAuthorization: ${token}\r\nX-Trace: é-1\r\n\r\n`;
    const redacted = 'POST / HTTP/1.1\r\nAuthorization: [redacted]\r\nX-Trace: é-1\r\n\r\n';
    const request = {
      _header: sent,
      outputData: [{ data: data(sent), encoding: 'latin1', callback: null }],
      socket: {
        _pendingData: data(sent),
        _writableState: { buffered: [{ chunk: data(sent), encoding: 'latin1' }] },
      },
    };
    const chunked = { _header: sent, socket: { _pendingData: [{ chunk: data(sent) }] } };
    redactSentHeaders(request, ['authorization']);
    redactSentHeaders(chunked, ['authorization']);
    const written = [
      request.outputData[0]?.data,
      request.socket._pendingData,
      request.socket._writableState.buffered[0]?.chunk,
      chunked.socket._pendingData[0]?.chunk,
    ];
    for (const each of written) {
      expect(each).toStrictEqual(data(redacted)); // of the same kind: a Buffer stays a Buffer
    }
  });

  it.each([undefined, null, 'text', 42])('leaves %s alone', (value) => {
    expect(() => redactSentHeaders(value, ['authorization'])).not.toThrow();
  });
});
