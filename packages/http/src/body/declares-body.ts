import type { IncomingHttpHeaders } from 'node:http';

/** Whether the request line says a body follows (so leaving it unread means closing the connection). */
export function declaresBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}
