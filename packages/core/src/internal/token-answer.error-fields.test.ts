/** Reading the RFC 6749 error fields (and common vendor variants) from a token endpoint answer. */
import { describe, expect, it } from 'vitest';
import { errorFields } from './token-answer.ts';

describe('errorFields', () => {
  it.each([
    [
      { error: 'invalid_client', error_description: 'Bad secret', error_uri: 'https://x/e' },
      { error: 'invalid_client', errorDescription: 'Bad secret', errorUri: 'https://x/e' },
    ],
    [{ error: 'Invalid request' }, { error: 'Invalid request' }],
    [{ message: 'Unauthorized' }, { errorDescription: 'Unauthorized' }],
    [
      { error: { code: 'E42', message: 'Quota exceeded' } },
      { error: 'E42', errorDescription: 'Quota exceeded' },
    ],
    [{ error: '', error_description: 7 }, {}],
    [undefined, {}],
  ])('reads %j', (body, fields) => {
    expect(errorFields(body)).toEqual({
      error: undefined,
      errorDescription: undefined,
      errorUri: undefined,
      ...fields,
    });
  });

  it('keeps long fields whole: the exchange clips them only after redacting them', () => {
    expect(errorFields({ error_description: 'd'.repeat(2_000) }).errorDescription).toHaveLength(
      2_000,
    );
  });
});
