import type { TokenManager } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';
import type { PapayaConfig } from './tokens.ts';

export function papayaKy(tokens: TokenManager, config: PapayaConfig): KyInstance {
  return ky.create({
    ...kyAuth({ tokens }),
    prefix: config.apiUrl,
  });
}
