/**
 * Mutant: takes no notice of a keepAlive answered 404, and keeps the call.
 *
 * The real defect (microsoft-graph-docs#9186: "keepAlive returns 404 NOT FOUND after all users
 * leave even though bot thinks it is still in the call"): Graph ended the call without a
 * notification the bot saw, and the bot goes on keeping alive, and acting on, a call that is gone.
 */
import type { CallRecord } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

const keepTheCall = (call: CallRecord): CallRecord => call;

await runMutant('ignores-keep-alive-404', { callAfterKeepAlive: keepTheCall });
