/**
 * Mutant: starts hold music for a participant without taking the one already on hold off hold.
 *
 * The real defect: forwarding each control request straight to Graph. 000: "Only one participant
 * can be put on hold at any given time", so starting B while A is on hold must first stop A.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import type { HoldMusicStep } from '../reference/model.js';
import { runBot } from '../reference/run-bot.js';

function startOnly(_participantOnHold: string | undefined, participantId: string): HoldMusicStep[] {
  return [{ kind: 'startHoldMusic', participantId }];
}

await runBot({ ...referenceBehaviour, holdMusicPlan: startOnly }, 'holds-two-at-once');
