/**
 * The call-state reducer: folds call notifications into a CallStatus, in whatever order they
 * arrive. Pure functions only.
 */
import type { CallState, CallStatus, CallUpdate } from './model.js';

/**
 * How far along its life a call is. An update never moves a call to a lower rank;
 * states of the same rank replace each other (established ⇄ transferring ⇄ transferAccepted).
 * 001 create call: «呼叫建立/建立的通知可能会无序到达。» "Call establishing/established
 * notifications may arrive out of order."
 */
const PROGRESS: Record<CallState, number> = {
  incoming: 0,
  establishing: 1,
  ringing: 1,
  established: 2,
  hold: 2,
  transferring: 2,
  transferAccepted: 2,
  redirecting: 2,
  terminating: 3, // not terminal: the call still exists until `terminated`
  terminated: 4,
};

const STATE_BY_LOWERCASE = new Map(
  (Object.keys(PROGRESS) as CallState[]).map((state) => [state.toLowerCase(), state]),
);

/**
 * A state string as a CallState, whatever its casing (an older SDK article shows "Established").
 * Unknown values, `unknownFutureValue` included, read as undefined: "no state information".
 */
export function readCallState(raw: unknown): CallState | undefined {
  return typeof raw === 'string' ? STATE_BY_LOWERCASE.get(raw.toLowerCase()) : undefined;
}

export function isTerminal(status: CallStatus): boolean {
  return status.state === 'terminated';
}

/**
 * 003 transfer: «Если передача вызова завершается сбоем, состояние вызова будет иметь значение
 * established.» "If the call transfer fails, the call state will be established." The failure
 * notification carries resultInfo 500/7000 (blind) or 500/7700 (consultative).
 */
export function isFailedTransfer(before: CallStatus, update: CallUpdate): boolean {
  return (
    (before.state === 'transferring' || before.state === 'transferAccepted') &&
    update.changeType !== 'deleted' &&
    update.state === 'established' &&
    (update.resultInfo?.code ?? 0) >= 400
  );
}

/**
 * 003 transfer, "transfer completed": `terminated` with resultInfo 0/7015
 * "GracefulTransferCompleted" (blind), or `"terminationReason": "AppTransferred"` (consultative).
 */
export function isTransferCompleted(status: CallStatus): boolean {
  return (
    status.state === 'terminated' &&
    ((status.resultInfo?.code === 0 && status.resultInfo.subcode === 7015) ||
      status.terminationReason === 'AppTransferred')
  );
}

/** The bot asked Graph for a new transfer: its notifications are current again. */
export function startTransferAttempt(status: CallStatus): CallStatus {
  return { ...status, transferFailed: false };
}

export function applyCallUpdate(status: CallStatus, update: CallUpdate): CallStatus {
  // Terminal is final: a late or duplicate notification never revives a terminated call.
  if (isTerminal(status)) return status;
  // A deleted call is gone, whether or not the notification says `terminated`
  // (a rejected call's `deleted` notification carries no state at all).
  const state = update.changeType === 'deleted' ? 'terminated' : update.state;
  if (state === undefined) return status;
  if (PROGRESS[state] < PROGRESS[status.state]) return status;
  if (status.transferFailed && (state === 'transferring' || state === 'transferAccepted')) return status;
  return {
    state,
    resultInfo: update.resultInfo ?? status.resultInfo,
    terminationReason: update.terminationReason ?? status.terminationReason,
    transferFailed: status.transferFailed || isFailedTransfer(status, update),
  };
}
