/**
 * Mutant: answers every incoming-call notification, duplicates included.
 *
 * The real defect: a stateless handler `if (created && state === 'incoming') answer()`.
 * Notifications are delivered at least once, so a redelivered incoming-call notification makes the
 * bot POST /answer a second time for a call it already answered.
 */
import { runMutant } from '../reference/run-mutant.js';

const answerEveryTime = (): boolean => true;

await runMutant('answers-duplicate-incoming', { shouldAnswer: answerEveryTime });
