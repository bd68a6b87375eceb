import { graphExchanges, type ProtocolRule } from './rule.js';

/** An incoming call is answered at most once, however often its notification arrives. */
export const answerOnce: ProtocolRule = {
  id: 'INCOMING-ANSWER-ONCE',
  level: 'MUST',
  because:
    'notifications are delivered at least once, so a duplicate notification must have no duplicate effect (graph-calling.md PART 8 S1: "exactly one /answer ... BUG: answers twice on duplicate created"); call-answer.md: the bot answers "before the call times out"',
  check: (transcript) => {
    const answers = new Map<string, number>();
    for (const e of graphExchanges(transcript)) if (e.requestKind === 'answer') answers.set(e.path, (answers.get(e.path) ?? 0) + 1);
    return [...answers].filter(([, n]) => n > 1).map(([path, n]) => ({ actual: `sent POST ${path} ${n} times`, expected: 'one answer per incoming call' }));
  },
};
