import { graphExchanges, type ProtocolRule } from './rule.js';

const HOLD = /\/participants\/([^/]+)\/(startHoldMusic|stopHoldMusic)$/;

/** At most one participant is on hold at any time. */
export const oneParticipantOnHold: ProtocolRule = {
  id: 'HOLD-ONE-AT-A-TIME',
  level: 'MUST',
  because: '000_35fd328c0aa33ff4.txt: "Примечание: Только один участник может быть помещен на удержание в любой момент времени." (Note: only one participant can be placed on hold at any time.)',
  exercised: (transcript) => graphExchanges(transcript).some((e) => e.method === 'POST' && HOLD.test(e.path)),
  check: (transcript) => {
    const onHold = new Set<string>();
    const out: Array<{ actual: string; expected: string }> = [];
    for (const e of graphExchanges(transcript)) {
      const m = HOLD.exec(e.path);
      if (!m || e.method !== 'POST' || e.response.status >= 300) continue;
      const [, participant, action] = m;
      if (action === 'stopHoldMusic') onHold.delete(participant!);
      else {
        if (onHold.size && !onHold.has(participant!)) out.push({ actual: `put ${participant} on hold while ${[...onHold].join(', ')} was still on hold`, expected: 'stopHoldMusic for the held participant first' });
        onHold.add(participant!);
      }
    }
    return out;
  },
};

/** clientContext is at most 256 characters. */
export const clientContextLength: ProtocolRule = {
  id: 'CLIENT-CONTEXT-256',
  level: 'MUST',
  because: '000_35fd328c0aa33ff4.txt clientContext: "Уникальная строка контекста клиента. Может содержать не более 256 символов." (Unique client context string. Can have a maximum of 256 characters.)',
  exercised: (transcript) => graphExchanges(transcript).some((e) => typeof (e.body as { clientContext?: unknown })?.clientContext === 'string'),
  check: (transcript) =>
    graphExchanges(transcript)
      .filter((e) => typeof (e.body as { clientContext?: unknown })?.clientContext === 'string' && ((e.body as { clientContext: string }).clientContext.length > 256))
      .map((e) => ({ actual: `sent ${e.method} ${e.rawPath} with a clientContext of ${(e.body as { clientContext: string }).clientContext.length} characters`, expected: 'a clientContext of at most 256 characters' })),
};
