import { startEmbeddedPostgres } from '../src/database/embedded.ts';

// Tests use DATABASE_URL when set; otherwise one embedded PostgreSQL serves the whole run
// and every test file creates its own database inside it.
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const db = await startEmbeddedPostgres();
  process.env.DATABASE_URL = db.url;
  (globalThis as { __tenderEmbedded?: { stop(): Promise<void> } }).__tenderEmbedded = db;
}
