import type { TokenManager } from '@tokenwise/core';
import { gotAuth } from '@tokenwise/got-auth';
import got, { type Got } from 'got';
import type { MtlsConfig } from './tokens.ts';

export function mtlsGot(tokens: TokenManager, config: MtlsConfig): Got {
  const { key, cert, ca } = config.certificate;
  return got.extend(
    {
      prefixUrl: config.apiUrl,
      // The certificate the tokens are bound to.
      https: { key, certificate: cert, certificateAuthority: ca },
    },
    gotAuth({ tokens }),
  );
}
