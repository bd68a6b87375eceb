/** Hold music: which Graph requests a start or stop control action makes. Pure functions only. */
import type { HoldMusicStep } from './model.js';

/** 000 and 002: clientContext «Может содержать не более 256 символов.» "Can have a maximum of 256 characters." */
export const MAX_CLIENT_CONTEXT_LENGTH = 256;

/** Why a clientContext is unacceptable, or undefined when it is fine (or absent). */
export function clientContextProblem(clientContext: unknown): string | undefined {
  if (clientContext === undefined || clientContext === null) return undefined;
  if (typeof clientContext !== 'string') return 'clientContext must be a string';
  if (clientContext.length > MAX_CLIENT_CONTEXT_LENGTH) {
    return `clientContext has ${clientContext.length} characters, at most ${MAX_CLIENT_CONTEXT_LENGTH} are allowed`;
  }
  return undefined;
}

/**
 * Puts `participantId` on hold. 000: «Только один участник может быть помещен на удержание в любой
 * момент времени.» "Only one participant can be put on hold at any given time." So whoever is on
 * hold first comes off it.
 */
export function holdMusicPlan(participantOnHold: string | undefined, participantId: string): HoldMusicStep[] {
  const start: HoldMusicStep = { kind: 'startHoldMusic', participantId };
  if (participantOnHold === undefined || participantOnHold === participantId) return [start];
  return [{ kind: 'stopHoldMusic', participantId: participantOnHold }, start];
}
