/**
 * Mutant: hangs up a moment after a transfer fails.
 *
 * The same defect as hangs-up-after-failed-transfer (a failed transfer leaves the call established,
 * 003: "If the call transfer fails, the call state will be established."), but the hang-up waits
 * 150 ms first, behind a media-teardown timer the bot does not wait for. Nothing in the scenario waits for a
 * request that should not come, so only a run that stays open long enough sees it: this mutant
 * checks that schedule exploration, which judges runs after a short quiet (and once waited a fixed
 * 60 ms), still catches it.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { runBot } from '../reference/run-bot.js';

const HANG_UP_DELAY_MS = 150;

const fetchNow = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  if (init?.method !== 'DELETE') return fetchNow(input, init);
  // The hang-up goes out behind a timer; the bot carries on at once, as if Graph had taken it.
  setTimeout(() => void fetchNow(input, init).catch(() => undefined), HANG_UP_DELAY_MS);
  return new Response(null, { status: 204 });
};

await runBot({ ...referenceBehaviour, onTransferFailed: () => [{ kind: 'hangUp' }] }, 'hangs-up-late-after-failed-transfer');
