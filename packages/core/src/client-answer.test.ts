import { describe, expect, it } from 'vitest';
import { answerFrom } from './client-answer.ts';

describe('answerFrom', () => {
  it('tells the status, URL and hop where the token was dropped as given', () => {
    const answer = answerFrom('https://api.example/b', 401, {}, 'https://other.example/a');
    expect(answer.status).toBe(401);
    expect(answer.url).toBe('https://api.example/b');
    expect(answer.tokenDroppedAt).toBe('https://other.example/a');
    expect(answerFrom('https://api.example/b', 200, {}).tokenDroppedAt).toBeUndefined();
  });

  it('reads a header record (arrays, numbers, nothing) as Headers, once', () => {
    const record: Record<string, unknown> = {
      'www-authenticate': ['Bearer error="invalid_token"', 'DPoP error="use_dpop_nonce"'],
      'content-length': 0,
      'x-none': undefined,
    };
    const answer = answerFrom('https://api.example/b', 401, record);
    record['dpop-nonce'] = 'n1'; // read on first use, not when the answer is made
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", DPoP error="use_dpop_nonce"',
    );
    expect(answer.headers.get('content-length')).toBe('0');
    expect(answer.headers.has('x-none')).toBe(false);
    expect(answer.headers.get('dpop-nonce')).toBe('n1');
    expect(answer.headers).toBe(answer.headers);
  });

  it('takes a Headers as it is', () => {
    const headers = new Headers({ 'DPoP-Nonce': 'n2' });
    expect(answerFrom('https://api.example/b', 401, headers).headers).toBe(headers);
  });
});
