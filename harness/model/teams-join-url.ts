import { readPointer } from './trigger-template.js';

/**
 * The Teams join URL of a meeting a createCall body joins, as users paste it into join-by-URL bots:
 * `https://teams.microsoft.com/l/meetup-join/<threadId>/<messageId>?context={"Tid":…,"Oid":…}`,
 * each part percent-encoded. Built from `chatInfo` and the organizer (`meetingInfo.organizer.user`);
 * undefined when the body has no chatInfo thread or no organizer (a join by meeting id).
 */
export function teamsJoinUrl(body: unknown): string | undefined {
  const threadId = readPointer(body, '/chatInfo/threadId');
  const messageId = readPointer(body, '/chatInfo/messageId') ?? '0';
  const oid = readPointer(body, '/meetingInfo/organizer/user/id');
  const tid = readPointer(body, '/meetingInfo/organizer/user/tenantId') ?? readPointer(body, '/tenantId');
  if (typeof threadId !== 'string' || typeof oid !== 'string' || typeof tid !== 'string') return undefined;
  const context = JSON.stringify({ Tid: tid, Oid: oid });
  return `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(threadId)}/${encodeURIComponent(String(messageId))}?context=${encodeURIComponent(context)}`;
}

/** The members of a createCall body a join URL carries (the rest the bot chooses itself). */
export const JOIN_URL_CARRIES = ['/chatInfo/threadId', '/chatInfo/messageId', '/meetingInfo/organizer/user/id', '/meetingInfo/organizer/user/tenantId'];
