import { bytes, mark, table, us } from './markdown.ts';
import type { BenchResults } from './results.ts';

/** The target of issue 20: heap per idle tenant beyond its token. */
const targetBytesPerTenant = 2_048;

/**
 * Section 10 of the report: many tenants in one process, a `createTokenRegistry` and a
 * `createAuthFetch` whose `tokens` function picks each request's manager.
 *
 * @example
 * ```ts
 * const markdown = tenantsSection(results);
 * ```
 */
export function tenantsSection(results: BenchResults): string {
  const options = results.settings.tenants;
  const rows = results.tenants.map((r) => [
    r.tenants.toLocaleString('en'),
    bytes(r.bytesPerTenant),
    bytes(r.bytesPerToken),
    r.tenants === 1
      ? '— (one-off costs dominate)'
      : mark(
          r.bytesPerTenant - r.bytesPerToken <= targetBytesPerTenant,
          bytes(r.bytesPerTenant - r.bytesPerToken),
        ),
    us(r.nsPerRequest),
    us(r.nsPerRequestOneManager),
    `${us(r.addedNs)} (${us(r.addedSpreadNs[0])} to ${us(r.addedSpreadNs[1])})`,
    us(r.nsPerRequestPlainMap),
    `${us(r.registryOwnNs)} (${us(r.registryOwnSpreadNs[0])} to ${us(r.registryOwnSpreadNs[1])})`,
  ]);
  const lookups = results.tenants.map((r) => [
    r.tenants.toLocaleString('en'),
    `${r.nsPerGet.toFixed(0)} ns`,
    `${r.nsPerMapGet.toFixed(0)} ns`,
    `${(r.nsPerGet - r.nsPerMapGet).toFixed(0)} ns`,
  ]);
  return `## 10. Many tenants

A \`createTokenRegistry\` holding one manager per tenant, each with a token, and a \`createAuthFetch\`
whose \`tokens\` function picks each request's manager by its \`X-Tenant-Id\` header, the tenants in
turn. ${options.processes} fresh \`node --expose-gc\` processes per number of tenants, after 500 warm-up
tenants: the settled heap of objects the registry gained per tenant (compiled code, a one-off per
process, aside; a copy of each token measured apart), then
${options.rounds} rounds of ${options.batch} sequential requests (in-process fetch, a rotating order) through the registry,
through one manager without a \`tokens\` function, and through a \`tokens\` function that picks the
registry's same managers from a plain \`Map\`. Target: at most 2 KB per idle tenant beyond its
token, and a per-request cost that stays flat from 1 to 10,000 tenants. "Added" is the registry
over one manager: it holds what any code pays for the state of that many tenants (a request
finds its tenant's objects outside the CPU caches; scenario 9's hand-written wrapper pays it too).
"The registry's own" is the registry over the plain \`Map\` of the same managers: its bookkeeping
alone.

${table(['tenants', 'heap per tenant', 'of which its token', 'beyond the token (≤ 2 KB)', 'µs/request, registry', 'µs/request, one manager', 'added per request (middle half)', 'µs/request, plain Map', "the registry's own (middle half)"], rows)}

The lookup alone, in the same processes: \`registry.get(key)\` against \`Map.get(key)\` of the same
managers, the tenants in turn, each key a new string (as a header value is); median of
${options.rounds} rounds.

${table(['tenants', 'registry.get', 'Map.get', 'the registry adds'], lookups)}`;
}
