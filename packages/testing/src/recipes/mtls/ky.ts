import type { TokenManager } from '@tokenwise/core';
import { kyAuth } from '@tokenwise/ky-auth';
import ky, { type KyInstance } from 'ky';
import { certificateFetch } from './certificate-fetch.ts';
import type { MtlsConfig } from './tokens.ts';

export function mtlsKy(tokens: TokenManager, config: MtlsConfig): KyInstance {
  return ky.create({
    ...kyAuth({ tokens }),
    prefix: config.apiUrl,
    // ky sits on fetch: give it one that presents the certificate the tokens are bound to.
    fetch: certificateFetch(config.certificate),
  });
}
