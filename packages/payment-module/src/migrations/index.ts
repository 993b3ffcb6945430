import { Migration20261125000000_initial } from './Migration20261125000000_initial.js';
import { Migration20261125010000_tenants } from './Migration20261125010000_tenants.js';
import { Migration20261125020000_drop_payment_provider } from './Migration20261125020000_drop_payment_provider.js';
import { Migration20261201000000_outbox } from './Migration20261201000000_outbox.js';
import { Migration20261202000000_service_parity } from './Migration20261202000000_service_parity.js';
import { Migration20261210000000_scrub_webhook_credentials } from './Migration20261210000000_scrub_webhook_credentials.js';
import { Migration20261211000000_outbox_partial_indexes } from './Migration20261211000000_outbox_partial_indexes.js';

/** Every migration, in order. Listed explicitly so the module works from any install path or bundle. */
export const migrationsList = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  { name: 'Migration20261125010000_tenants', class: Migration20261125010000_tenants },
  { name: 'Migration20261125020000_drop_payment_provider', class: Migration20261125020000_drop_payment_provider },
  { name: 'Migration20261201000000_outbox', class: Migration20261201000000_outbox },
  { name: 'Migration20261202000000_service_parity', class: Migration20261202000000_service_parity },
  { name: 'Migration20261210000000_scrub_webhook_credentials', class: Migration20261210000000_scrub_webhook_credentials },
  { name: 'Migration20261211000000_outbox_partial_indexes', class: Migration20261211000000_outbox_partial_indexes },
];
