import type { NotificationDelivery } from '../../model/transcript.js';
import { deliveries, graphExchanges, isToldByGraph, notificationItems, type ProtocolRule } from './rule.js';

/** No request about a call after the bot was told it terminated. */
export const noRequestAfterTermination: ProtocolRule = {
  id: 'CALL-TERMINATED-FINAL',
  level: 'MUST',
  because:
    '003_d730da5d3fda3166.txt "Уведомление — передача завершена" (Notification — transfer completed): the call is "terminated" (0/7015 GracefulTransferCompleted, or terminationReason AppTransferred); terminated is the last state of a call (graph-calling.md 2.2)',
  exercised: (transcript, { callId }) => deliveries(transcript).some((d) => isToldByGraph(d) && terminatesCall(d, callId)),
  check: (transcript, { callId }) => {
    const end = deliveries(transcript).find((d) => isToldByGraph(d) && terminatesCall(d, callId));
    if (!end) return [];
    return graphExchanges(transcript)
      .filter((e) => e.seq > end.seq && e.path.startsWith(`/communications/calls/${callId}`))
      .map((e) => ({ actual: `sent ${e.method} ${e.rawPath} after notification ${end.recording} terminated the call`, expected: 'no request about a terminated call' }));
  },
};

/** Whether a delivered notification says the run's call is over. */
export function terminatesCall(delivery: NotificationDelivery, callId: string): boolean {
  return notificationItems(delivery).some((item) => {
    const n = item as { changeType?: string; resourceUrl?: string; resource?: string; resourceData?: { state?: string; terminationReason?: string } };
    // A string comparison, not a RegExp per item: this runs for every notification of every schedule.
    const url = String(n.resourceUrl ?? n.resource ?? '').replace(/^\//, '');
    const aboutCall = url === `communications/calls/${callId}` || url === `app/calls/${callId}`;
    if (!aboutCall) return false;
    const data = Array.isArray(n.resourceData) ? undefined : n.resourceData;
    return n.changeType === 'deleted' || data?.state === 'terminated' || data?.terminationReason === 'AppTransferred';
  });
}
