import type { TokenManager } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';
import type { PriavaConfig } from './tokens.ts';

export function priavaKy(tokens: TokenManager, config: PriavaConfig): KyInstance {
  return ky.create({
    ...kyAuth({ tokens }),
    prefix: config.apiUrl,
  });
}
