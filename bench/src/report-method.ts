import { costMethod } from './report-costs.ts';
import type { BenchResults } from './results.ts';

/**
 * The report's Method section: how every scenario measures, in the terms of this run's settings.
 *
 * @example
 * ```ts
 * const markdown = methodSection(results);
 * ```
 */
export function methodSection(results: BenchResults): string {
  const { settings } = results;
  return `## Method

- **Server**: one Node \`http\` server on 127.0.0.1 in the bench process: \`POST /oauth/token\`
  (client credentials, \`client_secret_post\` or \`_basic\`, answered after ${settings.tokenDelayMs} ms with
  \`expires_in\`), and \`GET /api/*\`, 200 for a live token, 401 otherwise (\`/api/rejected/*\`: always 401). Revocation forgets
  every issued token. Counters: token requests, API calls, 401s.
- **Contenders** are set up as their READMEs show: tokenwise's \`createAuthFetch\`, \`axiosAuth\`,
  \`gotAuth\`, \`kyAuth\` with one token manager each; \`@badgateway/oauth2-client\`'s
  \`OAuth2Fetch\` with \`getNewToken: () => client.clientCredentials()\`; the axios recipe
  (\`axios-oauth-client\`'s \`clientCredentials\` for the token, \`axios-auth-refresh\`'s
  \`createAuthRefresh\` to fetch one and re-send on a 401, a request interceptor attaching the last
  token), with default options and with \`deduplicateRefresh: false\` (the option's name in
  axios-auth-refresh 5).
- **Waited on the token endpoint** (scenario 3): every request carries the \`performance.now()\`
  at which it began (\`x-bench-start\`); the server, in the same process and clock, counts a 200
  whose token was minted (its token response sent) after that instant. Such a request cannot have
  been served without waiting for a token request, whichever library made it; a request served
  from a cache, even during a background renewal, carries an older token. For tokenwise the count
  is checked by a second method: \`getToken\` raced against \`setImmediate\` (a cached token
  resolves within microtasks); both are in the table.
- **In-process transports** (scenarios 4, 5, 8 and 9) do what the real transport must and nothing
  more: fetch (fetch, ky, \`OAuth2Fetch\`'s middleware) builds the \`Request\` as undici's fetch
  does and answers \`new Response(null)\`; axios gets an adapter that settles like axios's own;
  got gets a \`request\` function returning a finished response stream. Each answers 200 when an
  \`Authorization\` header is present, else 401.
- **References** (scenario 4 only): each bare client with hooks or interceptors that do nothing,
  registered as tokenwise's adapter registers its own (axios: a synchronous request interceptor
  that wraps the request's adapter; got: \`init\`, \`beforeRequest\`, \`afterResponse\` and the others; ky 2: \`init\`,
  \`beforeRequest\`, \`afterResponse\` and \`beforeError\`). What they add is the client's own price for being extended that way, which no
  adapter built on those hooks avoids; tokenwise's own work is its figure minus theirs.
${costMethod()}
- **Order**: scenarios 1 to 3 per contender, then the memory children (two at a time: heaps are
  per process), then scenarios 4, 8 and 9 one after the other, each alone, so that nothing else
  competes for the CPU while they are timed.
- **Noise**: the machine may be shared, and its speed changes by up to half within minutes;
  every in-process time of a client moves with it (on the machine above, bare axios took 16 to
  26 µs per request in runs an hour apart). Pairing by round keeps the added time far steadier
  than the totals: the middle half of the rounds is in the table. tokenwise's counts and all heap
  figures repeat; the alternatives' counts depend on timing (axios-auth-refresh with
  \`deduplicateRefresh: false\` made 1 to 13 token requests at a cold start).`;
}
