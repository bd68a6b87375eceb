/**
 * Mutant: drops a call notification whose call carries a member its schema does not name.
 *
 * The real defect: strict validation of what Graph sends against a model generated from the v1.0
 * metadata (`additionalProperties: false`, zod's `.strict()`), in the background processor, which
 * logs "invalid notification" and moves on. The call is an open type (CSDL `OpenType="true"`), and
 * the documents show members outside its schema: the consultative transfer's completion carries
 * `"terminationReason": "AppTransferred"` and its failure `"replacesContext"` (003); issue logs add
 * meetingCapability, mediaHostedRegion, applicationMetadata (graph-calling.md Q22). The end of the
 * call, or its return to established, is lost.
 */
import { isRecord } from '../reference/json.js';
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';

/** The members of the v1.0 call entity (comms-v1.0.csdl.xml, EntityType call and its base entity). */
const CALL_MEMBERS = new Set([
  'id', 'callbackUri', 'callChainId', 'callOptions', 'callRoutes', 'chatInfo', 'direction', 'incomingContext',
  'mediaConfig', 'mediaState', 'meetingInfo', 'myParticipantId', 'requestedModalities', 'resultInfo', 'source',
  'state', 'subject', 'targets', 'tenantId', 'toneInfo', 'transcription',
  'audioRoutingGroups', 'contentSharingSessions', 'operations', 'participants',
]);

/** A call resourceData with a member outside the schema (OData annotations `@…` aside). */
function hasUnknownMember(data: unknown): boolean {
  return isRecord(data) && Object.keys(data).some((key) => !key.startsWith('@') && !CALL_MEMBERS.has(key));
}

const parseStrictly: BotBehaviour['parseNotifications'] = (body) => {
  const parsed = referenceBehaviour.parseNotifications(body);
  if (!parsed.ok) return parsed;
  const valid = parsed.notifications.filter((n) => n.resource.kind !== 'call' || !n.resourceData.some(hasUnknownMember));
  return { ...parsed, notifications: valid };
};

await runMutant('refuses-unknown-call-members', { parseNotifications: parseStrictly });
