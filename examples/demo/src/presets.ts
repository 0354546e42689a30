import {
  authorizationCode,
  clientCredentials,
  type ExtraHeaders,
  type Flow,
  tokenRequest,
} from '@tokenwise/core';

/** Settings read from flags, the environment or a prompt (see settings.ts); secrets are never printed. */
export interface ProviderSettings {
  readonly tokenUrl?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly scope?: string | undefined;
  readonly apiUrl?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly tenantRegion?: string | undefined;
  readonly code?: string | undefined;
  readonly redirectUri?: string | undefined;
}

/** Settings with every value resolved ('' when not given). */
export type ResolvedSettings = Record<keyof ProviderSettings, string>;

/** How to reach one vendor: which settings it needs, its flow, and its extra API headers. */
export interface Preset {
  readonly name: string;
  readonly summary: string;
  readonly needs: readonly (keyof ProviderSettings)[];
  flow(settings: ResolvedSettings): Flow;
  headers?(settings: ResolvedSettings): ExtraHeaders;
  readonly refreshAheadMs?: number;
}

const generic: Preset = {
  name: 'generic',
  summary: 'OAuth 2.0 client credentials, form body (the default without --preset)',
  needs: ['tokenUrl', 'clientId', 'clientSecret'],
  flow: (s) =>
    clientCredentials({
      tokenUrl: s.tokenUrl,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      scope: s.scope || undefined,
    }),
};

/** The seed vendors of ../shared/seeds, as documented by each. */
export const presets: readonly Preset[] = [
  generic,
  {
    name: 'pa',
    summary: 'PA recommendations/search: client credentials, 25 h tokens renewed after 24 h',
    needs: ['tokenUrl', 'clientId', 'clientSecret'],
    flow: (s) =>
      clientCredentials({
        tokenUrl: s.tokenUrl,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
      }),
    refreshAheadMs: 60 * 60 * 1000,
  },
  {
    name: 'priava',
    summary: 'Priava: authorization code + rotating refresh tokens, TenantRegion header',
    needs: ['tokenUrl', 'clientId', 'clientSecret', 'code', 'redirectUri', 'tenantRegion'],
    flow: (s) =>
      authorizationCode({
        tokenUrl: s.tokenUrl,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        code: s.code,
        redirectUri: s.redirectUri,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
          TenantRegion: s.tenantRegion,
        },
        params: { redirect_uri: s.redirectUri },
      }),
  },
  {
    name: 'papaya',
    summary: 'Papaya Global: JSON api_key + client_secret, 201 with valid_until',
    needs: ['tokenUrl', 'clientId', 'clientSecret'],
    flow: (s) =>
      tokenRequest({
        url: s.tokenUrl,
        body: { api_key: s.clientId, client_secret: s.clientSecret },
        successStatus: 201,
        response: { accessToken: 'token', expiresAt: 'valid_until' },
      }),
  },
  {
    name: 'personify',
    summary: 'Personify: client credentials with scope idp_api; X-Tenant-Id on API calls',
    needs: ['tokenUrl', 'clientId', 'clientSecret', 'tenantId'],
    flow: (s) =>
      clientCredentials({
        tokenUrl: s.tokenUrl,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        scope: s.scope || 'idp_api',
      }),
    headers: (s) => ({ 'X-Tenant-Id': s.tenantId }),
  },
  {
    name: 'partner',
    summary: 'Partner bookings API: client credentials as JSON, JWT tokens',
    needs: ['tokenUrl', 'clientId', 'clientSecret'],
    flow: (s) =>
      clientCredentials({
        tokenUrl: s.tokenUrl,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        bodyFormat: 'json',
      }),
  },
];
