// Tests use DATABASE_URL when set; otherwise one embedded PostgreSQL serves the whole run
// and every test file creates its own database inside it.
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  // Loaded by node, not through jest's module map: the built package (`npm test` builds it first).
  const { startEmbeddedPostgres } = await import('@tender/embedded-postgres');
  const db = await startEmbeddedPostgres();
  process.env.DATABASE_URL = db.url;
  (globalThis as { __tenderEmbedded?: { stop(): Promise<void> } }).__tenderEmbedded = db;
}
