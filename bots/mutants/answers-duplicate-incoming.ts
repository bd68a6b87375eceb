/**
 * Mutant: answers every incoming-call notification, duplicates included.
 *
 * The real defect: a stateless handler `if (created && state === 'incoming') answer()`.
 * Notifications are delivered at least once, so a redelivered incoming-call notification makes the
 * bot POST /answer a second time for a call it already answered.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { runBot } from '../reference/run-bot.js';

const answerEveryTime = (): boolean => true;

await runBot({ ...referenceBehaviour, shouldAnswer: answerEveryTime }, 'answers-duplicate-incoming');
