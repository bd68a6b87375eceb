import { graphExchanges, type ProtocolRule } from './rule.js';

/** A transfer from a group call names the transferee. */
export const groupTransferNamesTransferee: ProtocolRule = {
  id: 'TRANSFER-GROUP-TRANSFEREE',
  level: 'MUST',
  because: '003_d730da5d3fda3166.txt transferee: "Он необходим только при передаче из группового вызова." (It is required only when transferring from a group call.)',
  exercised: (transcript) => isGroupCall(transcript) && graphExchanges(transcript).some((e) => e.requestKind === 'transfer'),
  check: (transcript) => {
    if (!isGroupCall(transcript)) return [];
    return graphExchanges(transcript)
      .filter((e) => e.requestKind === 'transfer' && !(e.body as { transferee?: unknown })?.transferee)
      .map((e) => ({ actual: `sent ${e.method} ${e.rawPath} without transferee from a group call`, expected: 'a transferee (the participant being transferred)' }));
  },
};

/** A call the bot created with meetingInfo, chatInfo or more than one target. */
function isGroupCall(transcript: Parameters<typeof graphExchanges>[0]): boolean {
  const created = graphExchanges(transcript).find((e) => e.requestKind === 'createCall' && e.response.status < 300);
  const body = created?.body as { meetingInfo?: unknown; chatInfo?: unknown; targets?: unknown[] } | undefined;
  return !!body && (body.meetingInfo !== undefined || body.chatInfo !== undefined || (body.targets?.length ?? 0) > 1);
}
