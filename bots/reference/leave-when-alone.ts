/**
 * The bot's own rule for meetings (declared in its profile as leavesWhenAlone; no document states
 * one): it stays while a human is in the meeting, and leaves once the last human has left. Who left
 * is documented: a delta roster's removedState, or a complete roster without them. Pure functions
 * only; the hang-up is made by call-actions.ts.
 */
import type { CallRecord } from './model.js';

/** The humans in the call's roster: participants that are no application, the bot itself left out. */
export function humansIn(call: CallRecord): number {
  return [...call.roster.participants.values()].filter((p) => !p.isApplication && p.id !== call.myParticipantId).length;
}

/**
 * Leave the call after this roster update (`before` → `after`)? Once, in a meeting or group call,
 * when the update took the last human away: a meeting with no human needs no bot. Before any human
 * has been seen (a roster still to come, the bot alone in the lobby) there is nobody who left.
 */
export function shouldLeaveWhenAlone(before: CallRecord, after: CallRecord): boolean {
  return after.isGroupCall && !after.leaveRequested && humansIn(before) > 0 && humansIn(after) === 0;
}
