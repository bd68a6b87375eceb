/** A Graph-shaped error body: `{"error": {"code", "message", "innerError"}}`. */
export function graphError(code: string, message: string, requestId: string): unknown {
  return { error: { code, message, innerError: { 'request-id': requestId, date: new Date().toISOString() } } };
}
