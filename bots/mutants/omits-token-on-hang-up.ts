/**
 * Mutant: hangs up without a token.
 *
 * The real defect: the hang-up path was added later with a bare `fetch` that forgets the
 * `Authorization` header every other Graph request carries. Graph answers 401 and the call stays
 * up. Unlike the other mutants this one replaces no `BotBehaviour` field (the token is not a
 * decision): it drops the header of every DELETE on its way out.
 */
import { runBot } from '../reference/run-bot.js';

const fetchWithToken = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (init?.method !== 'DELETE') return fetchWithToken(input, init);
  const headers = new Headers(init.headers);
  headers.delete('authorization');
  return fetchWithToken(input, { ...init, headers });
};

await runBot(undefined, 'omits-token-on-hang-up');
