import { join, relative } from 'node:path';
import { type EmbeddedDatabase, EmbeddedPostgresError, startEmbeddedPostgres } from '@tender/embedded-postgres';

/** Where `tender dev` keeps its database, relative to the project. */
export const DEV_DATA_DIR = join('.tender', 'pg');

export interface DevDatabase {
  database: EmbeddedDatabase;
  /** One line for the dev host's banner: where the data lives and for how long. */
  description: string;
}

/**
 * The embedded database of `tender dev`: kept in the project's `.tender/pg`, so test payments survive a
 * restart (`fresh` starts it over). When the postgres user cannot reach the project (root in a private
 * directory), a temporary one is used instead and the banner says why.
 */
export async function startDevDatabase(cwd: string, fresh: boolean): Promise<DevDatabase> {
  const dataDir = join(cwd, DEV_DATA_DIR);
  try {
    const database = await startEmbeddedPostgres({ dataDir, fresh });
    return {
      database,
      description: `embedded, kept in ${relative(cwd, dataDir) || dataDir} between runs; --fresh starts it over`,
    };
  } catch (error) {
    if (!(error instanceof EmbeddedPostgresError) || error.code !== 'unreachable') throw error;
    const database = await startEmbeddedPostgres();
    return {
      database,
      description: `embedded, temporary: ${database.dataDir}, deleted when this process stops; ${error.message}`,
    };
  }
}
