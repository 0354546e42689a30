/**
 * The request `clientCredentials` builds: client authentication (RFC 6749 §2.3.1), scope,
 * audience and resource (RFC 8707), form or JSON body, params and headers.
 */
import { describe, expect, test } from 'vitest';
import { formOf, formType, initial, jsonOf, tokenUrl } from '../test-support/flow-fixtures.ts';
import { clientCredentials } from './client-credentials.ts';

describe('clientCredentials', () => {
  const base = { tokenUrl, clientId: 'client-1', clientSecret: 'secret-1' };
  test('defaults: POST, form body, client_secret_post, reusable, no refresh', () => {
    const flow = clientCredentials(base);
    expect(flow.kind).toBe('client_credentials');
    expect(flow.tokenUrl).toBe(tokenUrl);
    expect(flow.initialGrant?.reusable).toBe(true);
    expect(flow.refreshGrant).toBeUndefined();
    const request = initial(flow);
    expect(request).toMatchObject({ url: tokenUrl, method: 'POST' });
    expect(request.headers).toEqual({ 'Content-Type': formType, Accept: 'application/json' });
    expect(formOf(request)).toEqual([
      ['client_id', 'client-1'],
      ['client_secret', 'secret-1'],
      ['grant_type', 'client_credentials'],
    ]);
  });

  test('client_secret_basic: RFC 6749 §2.3.1 example', () => {
    const request = initial(
      clientCredentials({
        tokenUrl,
        clientId: 's6BhdRkqt3',
        clientSecret: 'gX1fBat3bV',
        clientAuth: 'client_secret_basic',
      }),
    );
    expect(request.headers.Authorization).toBe('Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW');
    expect(formOf(request)).toEqual([['grant_type', 'client_credentials']]);
  });

  test('client_secret_basic form-encodes id and secret before base64 (space, colon, %, non-ASCII)', () => {
    const request = initial(
      clientCredentials({
        tokenUrl,
        clientId: 'my client:1',
        clientSecret: 'p%ss wörd:€',
        clientAuth: 'client_secret_basic',
      }),
    );
    const header = request.headers.Authorization ?? '';
    expect(header.startsWith('Basic ')).toBe(true);
    expect(Buffer.from(header.slice('Basic '.length), 'base64').toString('latin1')).toBe(
      'my+client%3A1:p%25ss+w%C3%B6rd%3A%E2%82%AC',
    );
  });

  test('client_secret_post sends id and secret as given (the form encoding is the transport)', () => {
    const request = initial(
      clientCredentials({ tokenUrl, clientId: 'my client:1', clientSecret: 'p%ss wörd' }),
    );
    expect(request.headers.Authorization).toBeUndefined();
    expect(request.body).toContain('client_id=my+client%3A1');
    expect(formOf(request)).toContainEqual(['client_secret', 'p%ss wörd']);
  });

  test.each([
    { scope: 'api:recs api:search', sent: 'api:recs api:search' },
    { scope: ['api:recs', 'api:search'], sent: 'api:recs api:search' },
    { scope: 'idp_api', sent: 'idp_api' },
    { scope: [], sent: null },
    { scope: '   ', sent: null },
    { scope: undefined, sent: null },
  ])('scope $scope is sent as $sent', ({ scope, sent }) => {
    const body = new URLSearchParams(initial(clientCredentials({ ...base, scope })).body);
    expect(body.get('scope')).toBe(sent);
  });

  test('audience, and resource indicators as repeated parameters (RFC 8707)', () => {
    const one = new URLSearchParams(
      initial(
        clientCredentials({ ...base, audience: 'https://api.example.com', resource: 'urn:a' }),
      ).body,
    );
    expect(one.get('audience')).toBe('https://api.example.com');
    expect(one.getAll('resource')).toEqual(['urn:a']);
    const many = new URLSearchParams(
      initial(clientCredentials({ ...base, resource: ['https://a.example', 'https://b.example'] }))
        .body,
    );
    expect(many.getAll('resource')).toEqual(['https://a.example', 'https://b.example']);
    expect(many.has('audience')).toBe(false);
  });

  test('JSON body (seed 004) with every parameter, arrays as arrays', () => {
    const request = initial(
      clientCredentials({
        ...base,
        bodyFormat: 'json',
        scope: ['a', 'b'],
        resource: ['urn:x', 'urn:y'],
        params: { tenant: 't1' },
      }),
    );
    expect(request.headers.Accept).toBe('application/json');
    expect(jsonOf(request)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-1',
      scope: 'a b',
      resource: ['urn:x', 'urn:y'],
      tenant: 't1',
    });
  });

  test('params reach the body; an option left out does not erase the same param', () => {
    const body = new URLSearchParams(
      initial(clientCredentials({ ...base, params: { audience: 'x', scope: 'p', extra: '1' } }))
        .body,
    );
    expect(body.get('audience')).toBe('x');
    expect(body.get('scope')).toBe('p');
    expect(body.get('extra')).toBe('1');
  });

  test('params cannot override the grant or the client authentication', () => {
    const body = new URLSearchParams(
      initial(
        clientCredentials({
          ...base,
          scope: 'from-option',
          params: { grant_type: 'password', client_id: 'other', scope: 'from-params' },
        }),
      ).body,
    );
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.get('client_id')).toBe('client-1');
    expect(body.getAll('scope')).toEqual(['from-option']);
  });

  test.each(['content-type', 'Content-Type', 'CONTENT-TYPE'])(
    'a %s header replaces the default Content-Type (Priava charset)',
    (name) => {
      const priava = `${formType};charset=utf-8`;
      const request = initial(
        clientCredentials({ ...base, headers: { [name]: priava, TenantRegion: 'EU' } }),
      );
      const contentTypeKeys = Object.keys(request.headers).filter(
        (key) => key.toLowerCase() === 'content-type',
      );
      expect(contentTypeKeys).toEqual([name]);
      expect(new Headers(request.headers).get('content-type')).toBe(priava);
      expect(request.headers.TenantRegion).toBe('EU');
      expect(request.headers.Accept).toBe('application/json');
    },
  );

  test('headers may replace Accept and the Basic Authorization header', () => {
    const request = initial(
      clientCredentials({
        ...base,
        clientAuth: 'client_secret_basic',
        headers: { accept: '*/*', authorization: 'Custom xyz' },
      }),
    );
    expect(request.headers).toEqual({
      'Content-Type': formType,
      accept: '*/*',
      authorization: 'Custom xyz',
    });
  });

  test('the request is rebuilt identically every time (reusable)', () => {
    const flow = clientCredentials({ ...base, scope: 's' });
    expect(initial(flow)).toEqual(initial(flow));
  });
});
