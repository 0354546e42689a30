import type { TokenManager } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';
import type { PersonifyConfig } from './tokens.ts';

export function personifyKy(tokens: TokenManager, config: PersonifyConfig): KyInstance {
  return ky.create({
    ...kyAuth({ tokens, headers: { 'X-Tenant-Id': config.tenantId } }),
    prefix: config.apiUrl,
  });
}
