import type { ProbeExpectation } from '../model/suite.js';
import { show } from './json-subset.js';

interface ProbeParticipant {
  id?: unknown;
  isInLobby?: unknown;
  isMuted?: unknown;
}

/** States of a call that is being or has been ended. */
const ENDING = new Set(['terminating', 'terminated']);

/**
 * Whether the bot's view of the call's state agrees with `expected` (what Graph said). Once the bot
 * has hung up itself (Graph accepted its DELETE), Graph is ending the call (research/graph-calling.md 2.2, call-delete.md: 204, then
 * `terminating`, `terminated`): a view that says so agrees as well, whether or not the notification
 * that tells it has come. Hanging up is the bot's choice; only a view that ends a call Graph holds,
 * without the bot having ended it, disagrees.
 */
export function stateAgrees(expected: string, viewState: unknown, botHungUp: boolean): boolean {
  return viewState === expected || (botHungUp && !ENDING.has(expected) && ENDING.has(viewState as string));
}

/** Did the bot hang up the call itself: a DELETE of the call that Graph accepted (2xx)? */
export function hungUpByBot(exchanges: Iterable<{ method: string; path: string; response: { status: number } }>, callId: string): boolean {
  const callPath = `/communications/calls/${callId}`.toLowerCase();
  for (const e of exchanges) {
    if (e.method === 'DELETE' && e.response.status >= 200 && e.response.status < 300 && e.path.toLowerCase() === callPath) return true;
  }
  return false;
}

/** Describes how a bot's probe view differs from what a step expects, or undefined when it matches. */
export function probeDifference(expected: ProbeExpectation, view: unknown, botHungUp = false): string | undefined {
  if (!view || typeof view !== 'object') return `a view that is not an object: ${show(view)}`;
  const v = view as { state?: unknown; resultInfo?: Record<string, unknown>; participants?: unknown };
  if (expected.state !== undefined && !stateAgrees(expected.state, v.state, botHungUp)) return `state ${show(v.state)}`;
  if (expected.resultInfo) {
    for (const [key, want] of Object.entries(expected.resultInfo)) {
      const got = v.resultInfo?.[key];
      if (got !== want) return `resultInfo.${key} ${show(got)} (resultInfo ${show(v.resultInfo)})`;
    }
  }
  if (expected.participants) {
    if (!Array.isArray(v.participants)) return `participants ${show(v.participants)}`;
    const seen = v.participants as ProbeParticipant[];
    for (const want of expected.participants) {
      const got = seen.find((p) => p.id === want.id);
      if (!got) return `no participant ${want.id} (participants: ${seen.map((p) => String(p.id)).join(', ') || 'none'})`;
      if (want.isInLobby !== undefined && got.isInLobby !== want.isInLobby) return `participant ${want.id} isInLobby ${show(got.isInLobby)}`;
      if (want.isMuted !== undefined && got.isMuted !== want.isMuted) return `participant ${want.id} isMuted ${show(got.isMuted)}`;
    }
    if (expected.exactParticipants) {
      const extra = seen.filter((p) => !expected.participants!.some((w) => w.id === p.id));
      if (extra.length) return `participants that should not be there: ${extra.map((p) => String(p.id)).join(', ')}`;
    }
  }
  return undefined;
}
