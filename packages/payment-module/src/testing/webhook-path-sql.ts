import { MOVEMENTS_OF_PAYMENTS_SQL } from '../sql/capture-refund.js';
import { insertPaymentsSql, PAYMENT_BY_ID_SQL } from '../sql/payment.js';
import { COLLECTION_BY_ID_SQL, lockCollectionsSql, TOTALS_SQL } from '../sql/payment-collection.js';
import {
  lockedSessionsWithTotalsSql,
  SESSION_BY_ID_SQL,
  sessionsByIdSql,
  sessionsForAuthorizationSql,
} from '../sql/payment-session.js';
import { CLAIM_SQL, existingEventsSql, recordOutcomesSql } from '../sql/webhook-event.js';

export { claimParams } from '../sql/webhook-event.js';

/**
 * The statements a webhook runs on its way through the module, exactly as sent (MikroORM's `?`
 * placeholders), so a test can EXPLAIN them against a large table and prove they stay on indexes.
 */
export const WEBHOOK_PATH_SQL = {
  claimEvents: CLAIM_SQL,
  recordOutcomes: recordOutcomesSql(2),
  existingEvents: existingEventsSql(1),
  sessionById: SESSION_BY_ID_SQL,
  // A worker's batch (three sessions here): the workflow's read, then the shared authorization's.
  sessionsById: sessionsByIdSql(3),
  sessionsForAuthorization: sessionsForAuthorizationSql(3),
  lockCollection: lockCollectionsSql(1),
  lockCollections: lockCollectionsSql(3),
  lockedSessionsWithTotals: lockedSessionsWithTotalsSql(3),
  insertPayments: insertPaymentsSql(2, 2),
  collectionTotals: TOTALS_SQL,
  collectionById: COLLECTION_BY_ID_SQL,
  paymentById: PAYMENT_BY_ID_SQL,
  movementsOfPayments: MOVEMENTS_OF_PAYMENTS_SQL,
} as const;

/** `?` placeholders numbered for the pg driver (`$1`, `$2`, …). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
