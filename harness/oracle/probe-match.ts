import type { ProbeExpectation } from '../model/suite.js';
import { show } from './json-subset.js';

interface ProbeParticipant {
  id?: unknown;
  isInLobby?: unknown;
  isMuted?: unknown;
}

/** Describes how a bot's probe view differs from what a step expects, or undefined when it matches. */
export function probeDifference(expected: ProbeExpectation, view: unknown): string | undefined {
  if (!view || typeof view !== 'object') return `a view that is not an object: ${show(view)}`;
  const v = view as { state?: unknown; resultInfo?: Record<string, unknown>; participants?: unknown };
  if (expected.state !== undefined && v.state !== expected.state) return `state ${show(v.state)}`;
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
