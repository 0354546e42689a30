import type { TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';
import type { PapayaConfig } from './tokens.ts';

export function papayaGot(tokens: TokenManager, config: PapayaConfig): Got {
  return got.extend({ prefixUrl: config.apiUrl }, gotAuth({ tokens }));
}
