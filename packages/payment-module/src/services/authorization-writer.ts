import { GroupCommit } from '../concurrency/group-commit.js';
import { preparedSqlFor } from '../database/prepared-sql.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';
import { type Answered, type AuthorizationOutcome, createdEvents, decideUnderLock } from './authorization-decision.js';
import { insertPaymentsChange, readLockedSessions } from './authorization-rows.js';
import type { ServiceContext } from './context.js';
import { lockCollectionRows } from './locking.js';

type Written = { kind: 'written'; outcome: AuthorizationOutcome } | { kind: 'failed'; error: unknown };

/**
 * Writes answered authorizations under their collections' locks. Authorizations that reach it while another
 * write is in flight go together in the next one (group commit): their collections locked in id order, their
 * sessions read again under the locks, and the payments written in one statement and one commit. Each caller
 * still sees only its own outcome, or its own error.
 */
export class AuthorizationWriter {
  private readonly group: GroupCommit<Answered, Written>;

  constructor(private readonly ctx: ServiceContext) {
    this.group = new GroupCommit((items) => this.writeAll(items));
  }

  async write(answered: Answered): Promise<AuthorizationOutcome> {
    const written = await this.group.submit(answered);
    if (written.kind === 'failed') throw written.error;
    return written.outcome;
  }

  /**
   * In rounds of one authorization per collection: a new payment's totals are what its collection's rows say
   * under the lock, so a second session of the same collection (a split, or the same webhook twice) waits for
   * the round that commits the first.
   */
  private async writeAll(items: Answered[]): Promise<Written[]> {
    const written: Written[] = new Array(items.length);
    let pending = items.map((answered, index) => ({ answered, index }));
    while (pending.length > 0) {
      const collections = new Set<string>();
      const round: typeof pending = [];
      const later: typeof pending = [];
      for (const item of pending) {
        const id = item.answered.session.payment_collection_id;
        (collections.has(id) ? later : round).push(item);
        collections.add(id);
      }
      const outcomes = await this.writeRound(round.map((r) => r.answered));
      round.forEach((r, i) => {
        written[r.index] = outcomes[i]!;
      });
      pending = later;
    }
    return written;
  }

  /** One transaction for the round; if it fails, each authorization in its own, so one bad row fails only itself. */
  private async writeRound(round: Answered[]): Promise<Written[]> {
    try {
      return (await this.transaction(round)).map((outcome) => ({ kind: 'written', outcome }));
    } catch (error) {
      if (round.length === 1) return [{ kind: 'failed', error }];
      this.ctx.logger.warn({ err: error, sessions: round.length }, 'shared authorization transaction failed; writing each alone');
      const alone: Written[] = [];
      for (const answered of round) {
        alone.push(
          await this.transaction([answered]).then(
            ([outcome]): Written => ({ kind: 'written', outcome: outcome! }),
            (e: unknown): Written => ({ kind: 'failed', error: e }),
          ),
        );
      }
      return alone;
    }
  }

  private async transaction(answered: Answered[]): Promise<AuthorizationOutcome[]> {
    let wroteEvents = false;
    const outcomes = await preparedSqlFor(this.ctx.orm).transaction(async (em) => {
      const collections = new Map(
        (
          await lockCollectionRows(
            em,
            answered.map((a) => a.session.payment_collection_id),
          )
        ).map((c) => [c.id, c]),
      );
      const locked = new Map(
        (
          await readLockedSessions(
            em,
            answered.map((a) => a.session.id),
          )
        ).map((s) => [s.id, s]),
      );
      const outcomes: AuthorizationOutcome[] = [];
      for (const a of answered) {
        const collection = collections.get(a.session.payment_collection_id);
        const session = locked.get(a.session.id);
        outcomes.push(
          collection && session ? await decideUnderLock(em, collection, session, a, this.ctx.logger) : { kind: 'missing' },
        );
      }
      // The payments and their events in one statement: they commit together.
      const change = insertPaymentsChange(outcomes.flatMap((o) => (o.kind === 'created' ? [o.write] : [])));
      const events = outcomes.flatMap(createdEvents);
      if (change || events.length > 0) await writeOutboxEvents(em, events, change, { notifyAtCommit: false });
      wroteEvents = events.length > 0;
      return outcomes;
    });
    if (wroteEvents) this.ctx.relays.announce();
    return outcomes;
  }
}
