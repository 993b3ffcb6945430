import { Migrator } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrationsList } from '../migrations/index.js';
import { entities } from '../models/index.js';

export interface DatabaseOptions {
  url: string;
  /** Maximum connections in this process's pool. */
  poolSize?: number;
  /** How long to wait for a connection before failing (and answering 503). */
  connectTimeoutMs?: number;
  debug?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<MikroORM> {
  return MikroORM.init({
    clientUrl: options.url,
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      transactional: true,
      allOrNothing: true,
      tableName: 'tender_migrations',
      silent: true,
      snapshot: false,
    },
    pool: { min: 0, max: options.poolSize ?? 10 },
    driverOptions: { connectionTimeoutMillis: options.connectTimeoutMs ?? 5000 },
    debug: options.debug ?? false,
    // Entities are always loaded inside an explicit fork; the global context would leak state between requests.
    allowGlobalContext: false,
  });
}

export async function migrateDatabase(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}
