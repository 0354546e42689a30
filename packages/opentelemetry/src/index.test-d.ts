import type { Instrumentation } from '@opentelemetry/instrumentation';
import { describe, expectTypeOf, it } from 'vitest';
import { TokenwiseInstrumentation, type TokenwiseInstrumentationConfig } from './index.ts';

describe('TokenwiseInstrumentation', () => {
  it('is an OpenTelemetry Instrumentation, for registerInstrumentations', () => {
    expectTypeOf(new TokenwiseInstrumentation()).toExtend<Instrumentation>();
  });

  it('takes an optional config', () => {
    type Config = ConstructorParameters<typeof TokenwiseInstrumentation>[0];
    expectTypeOf<Config>().toEqualTypeOf<TokenwiseInstrumentationConfig | undefined>();
  });
});
