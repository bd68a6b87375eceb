import { graphExchanges, type ProtocolRule } from './rule.js';

/** E.164: a plus sign and up to 15 digits, the first not zero. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** Every phone identity the bot sends is an E.164 number. */
export const phoneIdentitiesE164: ProtocolRule = {
  id: 'PHONE-E164',
  level: 'MUST',
  because: '001_07ddc1617f89e2b3.txt (PSTN call): "电话 ID 是 E.164 格式的电话号码。" (The phone ID is a phone number in E.164 format.)',
  exercised: (transcript) => graphExchanges(transcript).some((e) => phoneIds(e.body).length > 0),
  check: (transcript) =>
    graphExchanges(transcript).flatMap((e) =>
      phoneIds(e.body)
        .filter((id) => typeof id !== 'string' || !E164.test(id))
        .map((id) => ({ actual: `sent ${e.method} ${e.rawPath} with phone identity ${JSON.stringify(id)}`, expected: 'an E.164 number, e.g. "+12345678901"' })),
    ),
};

/** The `id` of every `phone` identity anywhere in a body. */
function phoneIds(value: unknown, out: unknown[] = []): unknown[] {
  // One list filled in document order (each phone's own id before what is inside it): this walks every Graph request twice.
  if (Array.isArray(value)) {
    for (const item of value) phoneIds(item, out);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (key === 'phone' && member && typeof member === 'object' && 'id' in member) out.push((member as { id: unknown }).id);
    phoneIds(member, out);
  }
  return out;
}
