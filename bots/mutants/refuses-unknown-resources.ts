/**
 * Mutant: refuses notifications about resources it does not model.
 *
 * The real defect: the bot validates each notification against the resources it knows (the call,
 * its participants, its operations) and answers 400 to anything else, such as content sharing
 * sessions (001 join: "通知 - 内容共享已开始", notification - content sharing started). Graph does not
 * get the 2xx it retries without (research/graph-calling.md 5.1). The reference bot acknowledges such
 * an item and skips it.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { BotBehaviour } from '../reference/behaviour.js';
import { runMutant } from '../reference/run-mutant.js';

const refuseUnknownResources: BotBehaviour['parseNotifications'] = (body) => {
  const parsed = referenceBehaviour.parseNotifications(body);
  const unknown = parsed.ok ? parsed.notifications.find((n) => n.resource.kind === 'other') : undefined;
  return unknown ? { ok: false, reason: `unknown resource ${unknown.resource.kind === 'other' ? unknown.resource.path : ''}` } : parsed;
};

await runMutant('refuses-unknown-resources', { parseNotifications: refuseUnknownResources });
