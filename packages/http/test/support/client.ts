import http from 'node:http';

export interface SentResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/**
 * A plain node:http request to 127.0.0.1, so the bytes on the wire are exactly the ones given
 * (fetch would add its own headers and encodings).
 */
export function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<SentResponse> {
  const url = new URL(path, baseUrl);
  const body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        method: options.method ?? 'POST',
        path: `${url.pathname}${url.search}`,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface FloodResult {
  status: number;
  text: string;
  /** Bytes the client had handed to the socket when the answer arrived. */
  written: number;
}

/**
 * Streams a body that never ends (chunked, or declaring `declaredLength` and stopping short of
 * it): the only way to get an answer is for the server to refuse without waiting for the end.
 * After `cap` bytes without an answer it waits a little, then fails.
 */
export function flood(
  baseUrl: string,
  path: string,
  options: { declaredLength?: number; cap?: number; contentType?: string } = {},
): Promise<FloodResult> {
  const url = new URL(path, baseUrl);
  let cap = options.cap ?? 64 * 1024 * 1024;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (options.declaredLength !== undefined) {
    headers['content-length'] = String(options.declaredLength);
    cap = Math.min(cap, options.declaredLength - 1);
  }
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    let giveUp: NodeJS.Timeout | undefined;
    const req = http.request(
      { host: '127.0.0.1', port: url.port, method: 'POST', path: url.pathname, headers, agent: false },
      (res) => {
        answered = true;
        clearTimeout(giveUp);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), written });
          req.destroy();
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(new Error(`no answer after ${written} bytes: ${error.message}`));
    });
    const chunk = Buffer.alloc(16 * 1024, '{"a":1}'.repeat(8));
    const pump = () => {
      while (!answered) {
        const size = Math.min(chunk.length, cap - written);
        if (size <= 0) {
          giveUp = setTimeout(() => {
            req.destroy();
            reject(new Error(`server kept waiting: ${written} bytes sent without an answer`));
          }, 5000);
          return;
        }
        written += size;
        if (!req.write(chunk.subarray(0, size))) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}
