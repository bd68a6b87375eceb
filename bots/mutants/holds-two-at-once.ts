/**
 * Mutant: starts hold music for a participant without taking the one already on hold off hold.
 *
 * The real defect: forwarding each control request straight to Graph. 000: "Only one participant
 * can be put on hold at any given time", so starting B while A is on hold must first stop A.
 */
import type { HoldMusicStep } from '../reference/model.js';
import { runMutant } from '../reference/run-mutant.js';

function startOnly(_participantOnHold: string | undefined, participantId: string): HoldMusicStep[] {
  return [{ kind: 'startHoldMusic', participantId }];
}

await runMutant('holds-two-at-once', { holdMusicPlan: startOnly });
