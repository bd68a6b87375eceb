/**
 * Call state decisions, pure. Each takes the call's current view and returns the next one.
 */

// 001_07ddc1617f89e2b3.txt: "Call establishing/established notifications may arrive out of order."
// So a state never moves back to a lower rank; states of one rank (established, hold,
// transferring, ...) may follow each other (a failed transfer is established again).
const RANK = { incoming: 0, establishing: 1, ringing: 1, established: 2, hold: 2, transferring: 2, transferAccepted: 2, redirecting: 2, terminating: 3, terminated: 4 };

/** The rank of a call state; unknown states (an evolvable enum) rank with established. */
export function stateRank(state) {
  return RANK[state] ?? 2;
}

/** resultInfo with `code` and `subcode` as numbers, whichever of `subcode`/`subCode` and numbers or numeric strings Graph sent. */
export function normaliseResultInfo(info) {
  if (!info || typeof info !== 'object') return undefined;
  const out = { code: Number(info.code), subcode: Number(info.subcode ?? info.subCode ?? 0) };
  if (typeof info.message === 'string') out.message = info.message;
  return Number.isFinite(out.code) && Number.isFinite(out.subcode) ? out : undefined;
}

/**
 * The call after one call notification (`changeType`, `resourceData` object). Nothing follows
 * terminated; `deleted` ends the call even without a state (graph-reference deleted-after-reject);
 * a completed transfer ends it ("terminationReason": AppTransferred, 0/7015 GracefulTransferCompleted).
 */
export function applyCallNotification(call, changeType, data) {
  if (call.state === 'terminated') return call;
  const next = { ...call };
  if (typeof data.myParticipantId === 'string') next.myParticipantId = data.myParticipantId;
  const resultInfo = normaliseResultInfo(data.resultInfo);
  if (resultInfo) next.resultInfo = resultInfo;
  if (typeof data.state === 'string' && stateRank(data.state) >= stateRank(call.state)) next.state = data.state;
  const transferred = data.terminationReason === 'AppTransferred' || (resultInfo?.code === 0 && resultInfo?.subcode === 7015);
  if (changeType === 'deleted' || transferred) next.state = 'terminated';
  return next;
}

/** Whether a call notification announces a new incoming call the bot must answer. */
export function isIncomingCall(changeType, data) {
  return changeType === 'created' && data.state === 'incoming';
}

/**
 * Whether a createCall body makes a group call. 003_d730da5d3fda3166.txt transferee: "It is
 * required only when transferring from a group call"; a call joined with meetingInfo/chatInfo or
 * created with more than one target is a group call (create call document).
 */
export function isGroupCall(createBody) {
  return Boolean(createBody?.meetingInfo || createBody?.chatInfo || (Array.isArray(createBody?.targets) && createBody.targets.length > 1));
}
