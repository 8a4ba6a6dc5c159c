/**
 * Test-only: fetch options that accept the Graph emulator's self-signed certificate. Jest gives
 * each test file its own copy of process.env, so NODE_TLS_REJECT_UNAUTHORIZED set in a test does not
 * reach Node's fetch; an undici dispatcher with `rejectUnauthorized: false` does.
 *
 * @example
 *   createGraphContactStore({ baseUrl: graph.url, tokens, fetchOptions: insecureFetchOptions() });
 *   await fetch(url, { ...insecureFetchOptions(), headers });
 */
import { Agent } from "undici";

let agent: Agent | null = null;

export function insecureDispatcher(): Agent {
  agent ??= new Agent({ connect: { rejectUnauthorized: false } });
  return agent;
}

/** `{ dispatcher }` for fetch / the Graph client's fetchOptions (typed loosely: not in lib.dom). */
export function insecureFetchOptions(): RequestInit {
  return { dispatcher: insecureDispatcher() } as RequestInit;
}
