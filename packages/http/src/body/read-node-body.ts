import type { Readable } from 'node:stream';
import { BodyReadError, BodyTimeoutError, BodyTooLargeError } from '../http-errors.js';

/**
 * Reads a node request stream into one Buffer, exactly as received, and stops at `limit`:
 * past it the listeners are removed and the stream is paused, so an oversized (or endless)
 * body is never buffered. The caller answers 413 and closes the connection.
 * `timeoutMs` bounds the whole read, not the gap between chunks: a client trickling one byte
 * every few seconds would otherwise hold the request (and its memory) open indefinitely.
 * It stops the same way and the caller answers 408.
 */
export function readNodeBody(stream: Readable, limit: number, timeoutMs?: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            cleanup();
            stream.pause();
            reject(new BodyTimeoutError(timeoutMs));
          }, timeoutMs);

    const cleanup = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) {
        cleanup();
        stream.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(new BodyReadError(error));
    };
    // 'close' without 'end' means the client went away mid-body.
    const onClose = () => {
      cleanup();
      reject(new BodyReadError());
    };

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.resume();
  });
}
