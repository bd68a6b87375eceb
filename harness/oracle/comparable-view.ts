/**
 * The bot's view as order independence compares it between runs. Graph states a resultInfo's code and
 * subcode as numbers or numeric strings, and spells the subcode `subcode` or `subCode`, for the same fact
 * (RESULTINFO-VARIANTS; the payload variants send each): a bot whose view shows what it was sent is not
 * one whose behaviour changed, so both are written in one spelling before the views are compared.
 */
export function comparableView(view: unknown): unknown {
  if (!isObject(view) || !isObject(view.resultInfo)) return view;
  const resultInfo: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(view.resultInfo)) {
    const lower = key.toLowerCase();
    const name = lower === 'code' || lower === 'subcode' ? lower : key;
    resultInfo[name] = name !== key || name === 'code' || name === 'subcode' ? asNumber(value) : value;
  }
  return { ...view, resultInfo };
}

/** A numeric string as its number; anything else as it is. */
function asNumber(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
