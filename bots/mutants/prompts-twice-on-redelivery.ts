/**
 * Mutant: plays the greeting on every `established` notification, redeliveries included.
 *
 * The real defect: a stateless IVR handler `if (updated && state === 'established') playPrompt()`.
 * Notifications are delivered at least once, so a redelivered `established` makes the bot play its
 * greeting a second time into a call that already heard it.
 */
import type { CallRecord, CallUpdate } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

const greetOnEveryEstablished = (call: CallRecord, update: CallUpdate): boolean =>
  call.direction === 'incoming' && call.answerRequested && update.state === 'established';

await runMutant('prompts-twice-on-redelivery', { shouldPlayGreeting: greetOnEveryEstablished });
