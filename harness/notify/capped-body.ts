/** The most of a bot's reply confcall reads: a reply is an acknowledgement or a small JSON view, not a download. */
export const MAX_REPLY_BYTES = 1024 * 1024;

/** What was read of a reply body: its start as text, and whether it was cut off at the limit. */
export interface CappedBody {
  text: string;
  /** Bytes read (at most the limit plus one chunk). */
  bytes: number;
  /** The body went on past `limit`: reading stopped there and the connection was dropped. */
  cut: boolean;
}

/** Reads a reply body up to `limit` bytes, keeping its first `keep` bytes as text; a longer body is not read whole. */
export function readCappedBody(body: NodeJS.ReadableStream & { destroy(error?: Error): unknown }, keep: number, limit = MAX_REPLY_BYTES): Promise<CappedBody> {
  // Events rather than `for await`: an async iterator per reply cost more than the rest of the read.
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      if (bytes < keep) kept.push(chunk);
      bytes += chunk.length;
      if (bytes > limit) {
        body.removeListener('data', onData);
        body.removeListener('end', onEnd);
        body.removeListener('error', reject);
        body.on('error', () => undefined); // destroying may emit an error no one waits for any more
        body.destroy();
        resolve({ text: textOf(kept, keep), bytes, cut: true });
      }
    };
    const onEnd = (): void => resolve({ text: textOf(kept, keep), bytes, cut: false });
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', reject);
  });
}

/** The first `keep` bytes of the chunks read, as text. */
export function textOf(chunks: Buffer[], keep: number): string {
  if (chunks.length === 0) return '';
  if (chunks.length === 1) return chunks[0]!.toString('utf8', 0, Math.min(keep, chunks[0]!.length));
  return Buffer.concat(chunks).subarray(0, keep).toString('utf8');
}

/** How a cut-off reply is named in messages. */
export function describeCut(limit = MAX_REPLY_BYTES): string {
  return `a body over ${limit >= 1024 * 1024 ? `${limit / (1024 * 1024)} MiB` : `${limit} bytes`} (confcall read no further)`;
}
