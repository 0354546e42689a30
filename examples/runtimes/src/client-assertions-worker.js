// The Worker that proves private_key_jwt in workerd: each request runs the proof (the signing
// chunk is imported on the first one).
import { proveClientAssertions } from './client-assertions.js';

export default {
  async fetch() {
    return Response.json(await proveClientAssertions());
  },
};
