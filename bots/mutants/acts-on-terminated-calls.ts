/**
 * Mutant: acts on calls that are over.
 *
 * The real defect: the bot keeps each call in its table and checks only that it knows the call
 * before acting, never its state. After a transfer completed (003: terminated, 0/7015
 * GracefulTransferCompleted) it still sends a hang-up to Graph for a call that no longer exists.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { runBot } from '../reference/run-bot.js';

const neverOver = (): boolean => false;

await runBot({ ...referenceBehaviour, isCallOver: neverOver }, 'acts-on-terminated-calls');
