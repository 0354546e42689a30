import { HttpModule, HttpService } from '@nestjs/axios';
import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { clientCredentials, createTokenManager, type TokenManager } from '@tokenwise/core';
import axiosRetry, { isNetworkOrIdempotentRequestError } from 'axios-retry';
import { lastValueFrom } from 'rxjs';
import { axiosAuth } from '../../index.ts';

/** Where one vendor issues tokens and serves its API. */
export interface VendorSettings {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiUrl: string;
}

/** Two vendors behind the one HttpService (one axios instance), each with its own tokens. */
export class VendorApis implements OnApplicationShutdown {
  readonly #http: HttpService;
  readonly #billing: VendorSettings;
  readonly #crm: VendorSettings;
  readonly #tokens: TokenManager[] = [];

  constructor(http: HttpService, billing: VendorSettings, crm: VendorSettings) {
    this.#http = http;
    this.#billing = billing;
    this.#crm = crm;
    // Retries 5xx, 429 and network errors of idempotent requests, never a 401.
    axiosRetry(http.axiosRef, {
      retries: 3,
      retryDelay: axiosRetry.exponentialDelay,
      retryCondition: isNetworkOrIdempotentRequestError,
    });
    for (const vendor of [billing, crm]) {
      const tokens = createTokenManager({
        flow: clientCredentials({
          tokenUrl: vendor.tokenUrl,
          clientId: vendor.clientId,
          clientSecret: vendor.clientSecret,
        }),
      });
      // Each registration authorizes only the requests to its own origin.
      axiosAuth(http.axiosRef, { tokens, origins: [vendor.apiUrl] });
      this.#tokens.push(tokens);
    }
  }

  async invoices(): Promise<unknown> {
    const response = await lastValueFrom(this.#http.get(`${this.#billing.apiUrl}/invoices`));
    return response.data;
  }

  async contacts(): Promise<unknown> {
    const response = await lastValueFrom(this.#http.get(`${this.#crm.apiUrl}/contacts`));
    return response.data;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.#tokens.map((tokens) => tokens.close()));
  }
}

function settings(prefix: string): VendorSettings {
  const read = (name: string): string => {
    const value = process.env[`${prefix}_${name}`];
    if (value === undefined) throw new Error(`${prefix}_${name} is not set`);
    return value;
  };
  return {
    tokenUrl: read('TOKEN_URL'),
    clientId: read('CLIENT_ID'),
    clientSecret: read('CLIENT_SECRET'),
    apiUrl: read('API_URL'),
  };
}

@Module({
  imports: [HttpModule.register({ timeout: 10_000 })],
  providers: [
    {
      provide: VendorApis,
      inject: [HttpService],
      useFactory: (http: HttpService) => new VendorApis(http, settings('BILLING'), settings('CRM')),
    },
  ],
  exports: [VendorApis],
})
export class VendorsModule {}
