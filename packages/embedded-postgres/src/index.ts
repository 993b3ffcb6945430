export { EmbeddedPostgresError } from './errors.js';
export { type EmbeddedDatabase, type EmbeddedPostgresOptions, startEmbeddedPostgres } from './start.js';
