/** The statements of the `refund_reason` table (its CRUD goes through the `RefundReason` entity). */

/** One row when a live refund reason has the id, none otherwise. Parameters: id. */
export const REFUND_REASON_EXISTS_SQL = 'select 1 from refund_reason where id = ? and deleted_at is null';
