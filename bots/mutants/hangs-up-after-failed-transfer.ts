/**
 * Mutant: hangs up when a transfer fails.
 *
 * The real defect: treating any resultInfo code ≥ 400 as "the call is broken, clean up". A failed
 * transfer leaves the call established (003: "If the call transfer fails, the call state will be
 * established.") with the caller still on it; this bot DELETEs the call and drops the caller.
 */
import type { CallAction } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

const hangUpAfterFailedTransfer = (): CallAction[] => [{ kind: 'hangUp' }];

await runMutant('hangs-up-after-failed-transfer', { onTransferFailed: hangUpAfterFailedTransfer });
