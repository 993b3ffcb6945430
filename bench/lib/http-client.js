// The load generator's HTTP client: undici's Pool, keep-alive connections reused across requests. Node's
// global fetch is undici too, but its WHATWG layers cost the generator several times more CPU per request,
// CPU that on a small machine it takes from the server under test.
import { Pool } from 'undici';

const pools = new Map();

/** POSTs `body` and reads the whole answer; resolves with the status code. */
export async function post(url, { headers, body }) {
  const { origin, pathname, search } = new URL(url);
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 128, pipelining: 1 });
    pools.set(origin, pool);
  }
  const response = await pool.request({ method: 'POST', path: `${pathname}${search}`, headers, body });
  await response.body.dump();
  return response.statusCode;
}

/** Closes the connections to `url`'s server (before it is stopped). */
export async function closeClient(url) {
  const origin = new URL(url).origin;
  const pool = pools.get(origin);
  pools.delete(origin);
  await pool?.close();
}
