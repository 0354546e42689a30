/**
 * What every simulator shares (the engine in internal/simulator-server.ts), shown on PA's: paths
 * and methods, the clock and its skew in the Date header, counters and log, options, closing.
 */
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, test, vi } from 'vitest';
import { startPaSimulator } from './simulators/pa.ts';
import { vendorSimulators } from './simulators/vendor-simulators.ts';
import { defer } from './test-support/cleanup.ts';
import { manualClock } from './test-support/clock.ts';
import { get, postForm } from './test-support/raw-http.ts';

describe('every simulator', () => {
  test('listens on 127.0.0.1; 405 for other methods on the token path, 404 elsewhere', async () => {
    const sim = defer(await startPaSimulator());
    expect(sim.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.tokenUrl).toBe(`${sim.origin}/auth/connect/token`);
    expect(sim.apiUrl).toBe(`${sim.origin}/api`);

    const wrongMethod = await get(sim.tokenUrl);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await get(`${sim.origin}/elsewhere`)).status).toBe(404);
    expect(sim.log.map(({ kind, status }) => [kind, status])).toEqual([
      ['token', 405],
      ['other', 404],
    ]);
  });

  test('its Date header shows its clock, skew included', async () => {
    const clock = manualClock(Date.parse('2026-01-05T09:00:00Z'));
    const sim = defer(await startPaSimulator({ now: clock.now, clockSkewMs: 3_600_000 }));
    expect((await get(sim.apiUrl)).headers.get('date')).toBe('Mon, 05 Jan 2026 10:00:00 GMT');
    sim.clockSkewMs = -90_000;
    clock.advance(1_500);
    expect((await get(sim.apiUrl)).headers.get('date')).toBe('Mon, 05 Jan 2026 08:58:31 GMT');
    expect(sim.now()).toBe(Date.parse('2026-01-05T08:58:31.500Z'));
  });

  test('counts and logs without secrets or tokens; resetStats starts over', async () => {
    const sim = defer(await startPaSimulator());
    const { clientId, clientSecret } = sim.credentials;
    const answer = await postForm(sim.tokenUrl, {
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    await get(`${sim.apiUrl}/x`, { Authorization: `Bearer ${answer.json.access_token}` });
    expect(sim.stats).toEqual({
      tokenRequests: 1,
      tokensIssued: 1,
      tokenErrors: 0,
      apiCalls: 1,
      apiRejected: 0,
    });
    const logged = JSON.stringify(sim.log);
    expect(logged).not.toContain(clientSecret);
    expect(logged).not.toContain(String(answer.json.access_token));
    expect(sim.log[0]).toMatchObject({
      kind: 'token',
      grantType: 'client_credentials',
      fields: ['client_id', 'client_secret', 'grant_type'],
    });

    sim.resetStats();
    expect(sim.stats).toEqual({
      tokenRequests: 0,
      tokensIssued: 0,
      tokenErrors: 0,
      apiCalls: 0,
      apiRejected: 0,
    });
    expect(sim.log).toEqual([]);
  });

  test('lifetimes and skews are checked', async () => {
    await expect(startPaSimulator({ lifetimeSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(startPaSimulator({ clockSkewMs: Number.NaN })).rejects.toThrow(RangeError);
    const sim = defer(await startPaSimulator({ lifetimeSeconds: 1.5 }));
    expect(sim.lifetimeSeconds).toBe(1.5);
    expect(() => {
      sim.lifetimeSeconds = -1;
    }).toThrow('lifetimeSeconds must be a positive number of seconds');
  });

  test('tokenLatencyMs delays token answers; close() releases the ones still waiting', async () => {
    const sim = await startPaSimulator({ tokenLatencyMs: 60_000 });
    const { clientId, clientSecret } = sim.credentials;
    const pending = postForm(sim.tokenUrl, {
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
    });
    await vi.waitFor(() => expect(sim.stats.tokenRequests).toBe(1));
    expect(sim.stats.tokensIssued).toBe(0);
    await sim.close(); // would hang for a minute if the delay kept running
    await expect(pending).rejects.toThrow();
    expect(() => {
      sim.tokenLatencyMs = -1;
    }).toThrow(RangeError);
  });

  test('the log keeps the most recent maxLogEntries requests', async () => {
    const sim = defer(await startPaSimulator({ maxLogEntries: 2 }));
    for (const path of ['a', 'b', 'c']) await get(`${sim.apiUrl}/${path}`);
    expect(sim.log.map((request) => request.path)).toEqual(['/api/b', '/api/c']);
    expect(sim.stats.apiCalls).toBe(3);
  });

  test('vendorSimulators starts each vendor by name', async () => {
    for (const [vendor, start] of Object.entries(vendorSimulators)) {
      const sim = defer(await start());
      expect(sim.vendor).toBe(vendor);
      expect((await get(sim.apiUrl)).status).toBe(401);
    }
  });

  test('close() ends idle keep-alive connections, and can be called twice', async () => {
    const sim = await startPaSimulator();
    // An idle keep-alive socket, as fetch and got leave behind.
    const agentSocket = await new Promise<Socket>((resolve, reject) => {
      const req = request(`${sim.apiUrl}/x`, { headers: { Connection: 'keep-alive' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket as Socket));
      });
      req.on('error', reject);
      req.end();
    });
    await Promise.all([sim.close(), sim.close()]);
    await vi.waitFor(() => expect(agentSocket.destroyed || agentSocket.readableEnded).toBe(true));
    await expect(fetch(sim.apiUrl)).rejects.toThrow();
  });

  test('await using closes it', async () => {
    let origin = '';
    {
      await using sim = await startPaSimulator();
      origin = sim.origin;
      expect((await get(`${origin}/api`)).status).toBe(401);
    }
    await expect(fetch(`${origin}/api`)).rejects.toThrow();
  });
});
