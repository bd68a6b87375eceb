import type { CallTruth } from '../graph/call-truth.js';
import { show } from './json-subset.js';
import { stateAgrees } from './probe-match.js';

/**
 * Where a bot's final view of the call differs from the truth Graph holds (state, and the roster
 * with lobby and mute flags), or undefined when it converged. Nothing is compared that Graph
 * never told the bot; a bot that hung up itself may say the call is ending (probe-match.ts stateAgrees).
 */
export function convergenceDifference(truth: CallTruth, view: unknown, botHungUp = false): string | undefined {
  const v = (view ?? {}) as { state?: unknown; participants?: Array<{ id?: unknown; isInLobby?: unknown; isMuted?: unknown }> };
  const state = truth.resource?.state;
  if (typeof state === 'string' && !stateAgrees(state, v.state, botHungUp)) return `state ${show(v.state)} where Graph holds ${show(state)}`;
  if (!truth.roster) return undefined;
  const present = [...truth.roster].filter(([, e]) => !e.removed);
  const seen = Array.isArray(v.participants) ? v.participants : [];
  for (const [id, entry] of present) {
    const p = seen.find((s) => s.id === id);
    if (!p) return `no participant ${id}, which Graph's roster holds`;
    if (p.isInLobby !== entry.isInLobby) return `participant ${id} isInLobby ${show(p.isInLobby)} where Graph holds ${entry.isInLobby}`;
    if (p.isMuted !== entry.isMuted) return `participant ${id} isMuted ${show(p.isMuted)} where Graph holds ${entry.isMuted}`;
  }
  const extra = seen.filter((s) => !present.some(([id]) => id === s.id));
  if (extra.length) return `participants Graph's roster does not hold: ${extra.map((s) => String(s.id)).join(', ')}`;
  return undefined;
}
