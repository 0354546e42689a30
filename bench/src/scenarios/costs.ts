import { emptyPackages, packedProject } from '../packed-project.ts';
import { minGzipBytes } from './bundle-size.ts';
import { type ColdImport, coldImports } from './cold-import.ts';
import { type IdleHeap, type IdleHeapOptions, runIdleHeap } from './idle-heap.ts';
import type { IdleManager } from './idle-managers.ts';

/** One bundle measured: what a user imports from one library. */
export interface BundleSize {
  readonly library: IdleManager['library'];
  readonly packageName: string;
  readonly imports: readonly string[];
  /** Whether the fetch wrapper is among the imports. */
  readonly withFetch: boolean;
  /** Minified, tree-shaken, gzipped bytes loaded at start (see {@link minGzipBytes}). */
  readonly bytes: number;
  /** Gzipped bytes of the chunks loaded only when a feature is first used. */
  readonly lazyBytes: number;
}

/** Scenario 8. */
export interface CostsResult {
  readonly sizes: readonly BundleSize[];
  /** `@tokenwise/core`, then `@badgateway/oauth2-client`. */
  readonly coldImports: readonly ColdImport[];
  readonly idleHeap: readonly IdleHeap[];
}

/** How scenario 8 runs. */
export interface CostsOptions {
  /** Fresh processes per package for the cold import. */
  readonly importRuns: number;
  readonly idleHeap: IdleHeapOptions;
}

const bundles: readonly Omit<BundleSize, 'bytes' | 'lazyBytes'>[] = [
  {
    library: 'tokenwise',
    packageName: '@tokenwise/core',
    imports: ['createTokenManager', 'clientCredentials'],
    withFetch: false,
  },
  {
    library: 'tokenwise',
    packageName: '@tokenwise/core',
    imports: ['createTokenManager', 'clientCredentials', 'createAuthFetch'],
    withFetch: true,
  },
  {
    library: '@badgateway/oauth2-client',
    packageName: '@badgateway/oauth2-client',
    imports: ['OAuth2Client'],
    withFetch: false,
  },
  {
    library: '@badgateway/oauth2-client',
    packageName: '@badgateway/oauth2-client',
    imports: ['OAuth2Client', 'OAuth2Fetch'],
    withFetch: true,
  },
];

/**
 * Scenario 8, what it costs to hold tokenwise beside `@badgateway/oauth2-client`: the bytes a
 * bundle gains, the cold import and the idle heap per manager, all three on the packed
 * `@tokenwise/core` (what `pnpm pack` publishes) and the installed `@badgateway/oauth2-client`,
 * in a temp project.
 *
 * @example
 * ```ts
 * const costs = await runCosts({ importRuns: 40, idleHeap: { perStep: 1_000, steps: 5, warmup: 500 } });
 * ```
 */
export async function runCosts(
  options: CostsOptions,
  progress: (line: string) => void = () => {},
): Promise<CostsResult> {
  progress('packing @tokenwise/core into a temp project');
  const project = await packedProject();
  try {
    const sizes: BundleSize[] = [];
    for (const bundle of bundles) {
      const measured = await minGzipBytes(project.dir, bundle.packageName, bundle.imports);
      sizes.push({ ...bundle, ...measured });
    }
    progress(`bundle sizes: ${sizes.map((s) => `${s.bytes} B`).join(', ')}`);
    progress(`cold import: ${options.importRuns} fresh processes per package`);
    const imports = await coldImports(
      project.dir,
      [
        '@tokenwise/core',
        '@badgateway/oauth2-client',
        emptyPackages.exportsMap,
        emptyPackages.mainOnly,
      ],
      options.importRuns,
    );
    progress(`cold import: ${imports.map((i) => `${i.medianMs.toFixed(1)} ms`).join(', ')}`);
    progress('idle heap per manager');
    const idleHeap = await runIdleHeap(project.dir, options.idleHeap);
    progress(`idle heap: ${idleHeap.map((h) => `${h.bytesPerManager.toFixed(0)} B`).join(', ')}`);
    return { sizes, coldImports: imports, idleHeap };
  } finally {
    project.remove();
  }
}
