/**
 * Whether the bot itself is waiting in the lobby. 001 join as guest: «应用程序可能放置在大厅中,
 * 等待用户允许。这由 isInLobby 属性定义» "The application may be placed in the lobby, waiting for
 * a user to admit it. This is defined by the isInLobby property." While it waits, the bot takes
 * no action on the call.
 */
import type { CallRecord, ParticipantView } from './model.js';

/**
 * The bot's own roster entry: `myParticipantId` (from the 201 or the incoming call), else the
 * participant whose identity is the application with the bot's app id.
 */
export function ownParticipant(call: CallRecord, botAppId: string): ParticipantView | undefined {
  const byId = call.myParticipantId === undefined ? undefined : call.roster.participants.get(call.myParticipantId);
  if (byId) return byId;
  const appId = botAppId.toLowerCase();
  return [...call.roster.participants.values()].find((p) => p.applicationId?.toLowerCase() === appId);
}

/** Before any roster has arrived the bot cannot know it is in the lobby, and acts. */
export function isWaitingInLobby(call: CallRecord, botAppId: string): boolean {
  return ownParticipant(call, botAppId)?.isInLobby === true;
}
