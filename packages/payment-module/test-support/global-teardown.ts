export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as { __tenderEmbedded?: { stop(): Promise<void> } }).__tenderEmbedded;
  if (db) await db.stop();
}
