// Entry point for Deno and Bun: proves private_key_jwt in the runtime and prints one JSON line.
import { proveClientAssertions } from './client-assertions.js';

console.log(JSON.stringify(await proveClientAssertions()));
