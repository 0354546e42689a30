import type { TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';
import type { PartnerConfig } from './tokens.ts';

export function partnerGot(tokens: TokenManager, config: PartnerConfig): Got {
  return got.extend({ prefixUrl: config.apiUrl }, gotAuth({ tokens }));
}
