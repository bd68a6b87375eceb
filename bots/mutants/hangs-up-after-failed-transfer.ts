/**
 * Mutant: hangs up when a transfer fails.
 *
 * The real defect: treating any resultInfo code ≥ 400 as "the call is broken, clean up". A failed
 * transfer leaves the call established (003: "If the call transfer fails, the call state will be
 * established.") with the caller still on it; this bot DELETEs the call and drops the caller.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { CallAction } from '../reference/model.js';
import { runBot } from '../reference/run-bot.js';

const hangUpAfterFailedTransfer = (): CallAction[] => [{ kind: 'hangUp' }];

await runBot({ ...referenceBehaviour, onTransferFailed: hangUpAfterFailedTransfer }, 'hangs-up-after-failed-transfer');
