/**
 * Mutant: lets incoming calls ring out.
 *
 * The real defect: a bot that decides not to take a call simply ignores it instead of rejecting
 * it. call-answer.md: "The bot is expected to answer, reject, or redirect the call before the call
 * times out. The current timeout value is 15 seconds for regular scenarios." The caller hears
 * ringing for 15 s and Graph logs a timeout.
 */
import { runMutant } from '../reference/run-mutant.js';

const neverAnswer = (): boolean => false;

await runMutant('leaves-calls-ringing', { shouldAnswer: neverAnswer });
