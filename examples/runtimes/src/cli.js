// Entry point for Deno and Bun: runs every client's scenarios side by side and prints one JSON
// line. `TOKEN_URL` and `API_URL` point at the loopback servers of the test.
import process from 'node:process';
import { clients, runScenarios, withNodeClients } from './scenarios.js';

const runtime = process.argv[2] ?? 'unknown';
const tokenUrl = process.env.TOKEN_URL;
const apiUrl = process.env.API_URL;
const all = await withNodeClients().catch((error) => {
  console.log(JSON.stringify({ loadError: String(error) }));
  return clients;
});
const entries = await Promise.all(
  Object.entries(all).map(async ([name, client]) => [
    name,
    await runScenarios({ tokenUrl, apiUrl, client, prefix: `${runtime}-${name}` }).catch(
      (error) => ({ crashed: String(error?.stack ?? error) }),
    ),
  ]),
);
console.log(JSON.stringify(Object.fromEntries(entries)));
