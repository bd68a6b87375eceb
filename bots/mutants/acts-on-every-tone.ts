/**
 * Mutant: acts on every tone notification, a redelivered one included.
 *
 * The real defect: a stateless menu handler `if (toneInfo) menu[toneInfo.tone]()` that never looks
 * at toneInfo.sequenceId. Notifications are delivered at least once, so a redelivered key press
 * makes the bot act a second time: a second transfer of a call already being transferred.
 */
import type { CallAction, CallRecord } from '../reference/model.js';
import { referenceBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';
import type { ToneEvent } from '../reference/tones.js';

const actOnEveryTone = (call: CallRecord, tone: ToneEvent): CallAction | undefined =>
  referenceBehaviour.toneAction({ ...call, lastToneSequenceId: undefined }, tone);

await runMutant('acts-on-every-tone', { toneAction: actOnEveryTone });
