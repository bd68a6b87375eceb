/** The probe view of a call (`GET {control}/calls/{callId}`): the bot's idea of the call's truth. */
import type { CallRecord, CallState, ResultInfo } from './model.js';

export interface ProbeView {
  state: CallState;
  resultInfo?: ResultInfo;
  participants: { id: string; isInLobby: boolean; isMuted: boolean }[];
}

export function probeView(call: CallRecord): ProbeView {
  const { state, resultInfo } = call.status;
  return {
    state,
    ...(resultInfo !== undefined && { resultInfo }),
    participants: [...call.roster.participants.values()].map(({ id, isInLobby, isMuted }) => ({
      id,
      isInLobby,
      isMuted,
    })),
  };
}
