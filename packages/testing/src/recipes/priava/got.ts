import type { TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';
import type { PriavaConfig } from './tokens.ts';

export function priavaGot(tokens: TokenManager, config: PriavaConfig): Got {
  return got.extend({ prefixUrl: config.apiUrl }, gotAuth({ tokens }));
}
