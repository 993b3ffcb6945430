// The outbox's partial indexes, shared by the entity and the migration that creates them. Each status a claim
// or a sweep looks for has its own index, holding only the rows in that status: a row moves pending →
// processing → delivered, and every move is a new row version whose old index entries stay until VACUUM. With
// one `(status, …)` index for every status, a claim's bitmap scan walked all of those dead entries each time
// (thousands within seconds of a burst, 60–70% of a core in the bench); here a row's versions enter only the
// indexes of the statuses it passes through, and the claims' plain index scans mark dead entries as they pass.

/** `name` and the statement that creates it, as MikroORM's `expression` index wants them. */
export const OUTBOX_INDEXES = [
  ['outbox_event_pending', `("seq") where "status" = 'pending'`],
  ['outbox_event_failed', `("next_attempt_at") where "status" = 'failed'`],
  ['outbox_event_expired', `("locked_until") where "status" = 'processing'`],
  ['outbox_event_delivered', `("delivered_at") where "status" = 'delivered'`],
  ['outbox_event_undelivered', `("seq") where "status" <> 'delivered'`],
].map(([name, columns]) => ({ name: name!, expression: `create index "${name}" on "outbox_event" ${columns}` }));
