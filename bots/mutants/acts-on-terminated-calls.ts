/**
 * Mutant: acts on calls that are over.
 *
 * The real defect: the bot keeps each call in its table and checks only that it knows the call
 * before acting, never its state. After a transfer completed (003: terminated, 0/7015
 * GracefulTransferCompleted) it still sends a hang-up to Graph for a call that no longer exists.
 */
import { runMutant } from '../reference/run-mutant.js';

const neverOver = (): boolean => false;

await runMutant('acts-on-terminated-calls', { isCallOver: neverOver });
