/**
 * The DPoP-protected route of the contract's DPoP groups: a resource server that verifies each
 * proof per RFC 9449 §7 with test-kit's own verifier (`htm` and `htu` of the request as it
 * arrived, `ath`, `jti` replay, the token request's key), and can play nonce challenges and
 * token rejections first.
 */
import { DpopProofRefusal, verifyDpopProof } from '../dpop/verify-proof.ts';
import type { RecordedRequest } from '../loopback/node-bridge.ts';
import type { LoopbackServer } from '../loopback-server.ts';

/**
 * What the DPoP route answers to each call, in order; then `'verify'` for the rest. `unavailable`:
 * a 503, which a client's own retries answer.
 */
export type Step = 'verify' | 'nonce' | 'invalid_token' | 'unavailable';

/**
 * A DPoP-protected route on `server`: it verifies each proof against the key the latest token
 * request proved (`cnf.jkt` of the loopback token server, which does not bind tokens itself),
 * requires its current nonce once `nonce` is set, and plays `steps` first.
 *
 * @example
 * const route = dpopRoute(a, '/dpop/items', ['nonce']);
 * expect(route.refusals).toEqual([]);
 */
export function dpopRoute(server: LoopbackServer, path: string, steps: Step[] = []) {
  const state = {
    nonce: undefined as string | undefined,
    seenJtis: new Set<string>(),
    accepted: [] as Record<string, unknown>[],
    refusals: [] as string[],
  };
  const boundKey = (): string | undefined => {
    const proof = server.tokenRequests.at(-1)?.headers.dpop;
    if (typeof proof !== 'string') return undefined;
    return verifyDpopProof(proof, {
      method: 'POST',
      url: server.tokenUrl,
      seenJtis: new Set(),
      windowSeconds: 3_600,
    }).jkt;
  };
  const challenge = (nonce: string) =>
    new Response(null, {
      status: 401,
      headers: { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': nonce },
    });
  const answer = (request: RecordedRequest): Response => {
    const step = steps.shift() ?? 'verify';
    if (step === 'nonce') {
      state.nonce = `nonce-${state.seenJtis.size}-${state.refusals.length}-${Date.now()}`;
      return challenge(state.nonce);
    }
    if (step === 'unavailable') return new Response(null, { status: 503 });
    if (step === 'invalid_token') {
      server.revokeAll();
      return new Response(null, {
        status: 401,
        headers: { 'www-authenticate': 'DPoP error="invalid_token"' },
      });
    }
    const token = /^DPoP (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    try {
      const { claims } = verifyDpopProof(request.headers.dpop, {
        method: request.method,
        url: request.url.href,
        accessToken: token ?? '',
        jkt: boundKey(),
        nonce: state.nonce,
        seenJtis: state.seenJtis,
      });
      state.accepted.push(claims);
      return Response.json({ ok: true });
    } catch (error) {
      if (!(error instanceof DpopProofRefusal)) throw error;
      state.refusals.push(error.message);
      if (error.nonce && state.nonce !== undefined) return challenge(state.nonce);
      return new Response(null, {
        status: 401,
        headers: { 'www-authenticate': 'DPoP error="invalid_dpop_proof"' },
      });
    }
  };
  server.route(path, async (request, res) => {
    const response = answer(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  return state;
}
