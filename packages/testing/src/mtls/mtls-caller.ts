/**
 * The mutual TLS recipe's client for each of fetch, axios, got and ky, as one `call(path)`: what
 * the recipe test and the oidc-provider interop test both drive.
 */
import type { TokenManager } from '@tokenwise/core';
import { mtlsAxios } from '../recipes/mtls/axios.ts';
import { mtlsFetch } from '../recipes/mtls/fetch.ts';
import { mtlsGot } from '../recipes/mtls/got.ts';
import { mtlsKy } from '../recipes/mtls/ky.ts';
import type { MtlsConfig } from '../recipes/mtls/tokens.ts';
import { type Call, type ClientName, callerFor } from '../test-support/callers.ts';

const recipes = { fetch: mtlsFetch, axios: mtlsAxios, got: mtlsGot, ky: mtlsKy } as const;

/** `call(path)` through the recipe's `name` client, on `config`'s certificate and API. */
export function mtlsCaller(name: ClientName, tokens: TokenManager, config: MtlsConfig): Call {
  return callerFor(name, recipes[name](tokens, config), config.apiUrl);
}
