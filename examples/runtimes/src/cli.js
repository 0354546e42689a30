// Entry point for Deno and Bun: runs every client's scenarios side by side and prints one JSON
// line. `STANDARD_ORIGIN` and `SHORT_LIVED_ORIGIN` are the test's token servers, `CLIENT_SECRET`
// the secret of every client id.
import process from 'node:process';
import { clients, runScenarios, withNodeClients } from './scenarios.js';

const runtime = process.argv[2] ?? 'unknown';
const servers = {
  standard: process.env.STANDARD_ORIGIN,
  shortLived: process.env.SHORT_LIVED_ORIGIN,
  bound: process.env.BOUND_ORIGIN,
  secret: process.env.CLIENT_SECRET,
};
const all = await withNodeClients().catch((error) => {
  console.log(JSON.stringify({ loadError: String(error) }));
  return clients;
});
const entries = await Promise.all(
  Object.entries(all).map(async ([name, client]) => [
    name,
    // `core` sends the token itself, as Bearer: the DPoP scenario is the adapters'.
    await runScenarios({
      servers,
      client,
      prefix: `${runtime}-${name}`,
      dpop: name !== 'core',
    }).catch((error) => ({
      crashed: String(error?.stack ?? error),
    })),
  ]),
);
console.log(JSON.stringify(Object.fromEntries(entries)));
