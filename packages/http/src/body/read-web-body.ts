import { BodyReadError, BodyTooLargeError } from '../http-errors.js';

/**
 * Reads a Fetch API body stream chunk by chunk and cancels it as soon as it passes `limit`,
 * so the rest of an oversized body is never pulled (`request.arrayBuffer()` would read it all).
 */
export async function readWebBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for (;;) {
      const step = await reader.read().catch((error: unknown) => {
        throw new BodyReadError(error);
      });
      if (step.done) break;
      received += step.value.byteLength;
      if (received > limit) {
        // Cancelling tells the source (a socket, a generator) to stop producing.
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(limit);
      }
      chunks.push(Buffer.from(step.value));
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, received);
}
