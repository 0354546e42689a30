import type { TokenManager } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';
import type { PartnerConfig } from './tokens.ts';

export function partnerKy(tokens: TokenManager, config: PartnerConfig): KyInstance {
  return ky.create({
    ...kyAuth({ tokens }),
    prefix: config.apiUrl,
  });
}
