import type { TokenManager } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';
import type { PaConfig } from './tokens.ts';

export function paKy(tokens: TokenManager, config: PaConfig): KyInstance {
  return ky.create({
    ...kyAuth({ tokens }),
    prefix: config.apiUrl,
  });
}
