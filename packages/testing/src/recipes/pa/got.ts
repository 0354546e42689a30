import type { TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';
import type { PaConfig } from './tokens.ts';

export function paGot(tokens: TokenManager, config: PaConfig): Got {
  return got.extend({ prefixUrl: config.apiUrl }, gotAuth({ tokens }));
}
