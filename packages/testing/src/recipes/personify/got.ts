import type { TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';
import type { PersonifyConfig } from './tokens.ts';

export function personifyGot(tokens: TokenManager, config: PersonifyConfig): Got {
  return got.extend(
    { prefixUrl: config.apiUrl },
    gotAuth({ tokens, headers: { 'X-Tenant-Id': config.tenantId } }),
  );
}
