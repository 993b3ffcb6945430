import type { MikroORM } from '@mikro-orm/postgresql';
import { TenderError } from '@tender/core';
import { GroupCommit } from '../concurrency/group-commit.js';
import { Announcer } from '../database/announcer.js';
import { isConnectionError } from '../database/connection-errors.js';
import { preparedSqlFor, type SqlExecutor } from '../database/prepared-sql.js';
import { generateId, IdPrefix } from '../ids.js';
import type { Logger } from '../logger.js';
import { existingEventsSql, insertWebhookEventsSql } from '../sql/webhook-event.js';
import { INBOX_CHANNEL } from './inbox-notifications.js';
import { storableJson, storableText } from './storable-values.js';

/** A webhook event on its way into the inbox (`webhook_event`); the JSON columns are already serialized. */
export interface NewWebhookEvent {
  tenant: string;
  providerId: string;
  eventId: string;
  eventType: string | null;
  action: string;
  data: string | null;
  method: string;
  rawBody: Buffer;
  headers: string;
  query: string;
  /** `ignored` rows are stored as already processed; only `pending` ones wake the workers. */
  status: 'pending' | 'ignored';
}

/** A webhook event once in the inbox. */
export interface StoredWebhookEvent {
  id: string;
  /** False when the event was already stored: `id` is then the existing row's. */
  inserted: boolean;
}

/** What one row of a batch came to: a batch's rows succeed or fail separately. */
type RowAnswer = { ok: true; result: StoredWebhookEvent } | { ok: false; error: unknown };

/** What an inbox writer is built from. */
export interface InboxWriterSetup {
  orm: MikroORM;
  logger: Logger;
  /** Rows at most in one insert (default 64). */
  maxBatch?: number;
  /** The channel that wakes the workers (default the inbox's). */
  channel?: string;
  /**
   * The payload of its notifications: this process's worker, told of its rows directly, skips those that
   * carry it (see `InboxListener`'s `own`). Default empty.
   */
  sender?: string;
}

/**
 * Stores inbox rows by group commit: a lone webhook's row is inserted at once, and the rows of webhooks
 * that arrive while an insert is in flight go together in the next statement. Each statement is
 * autocommit, so a caller is answered only once its row is committed. A lost database reaches the caller as
 * the driver's error; `WebhookInbox.receiveWebhook` turns it into a 503 (`unavailableIfDisconnected`).
 */
export class InboxWriter {
  /** Insert statements sent so far (a batch retried row by row adds one per row). */
  statements = 0;
  private readonly group: GroupCommit<NewWebhookEvent, RowAnswer>;
  private closed = false;
  /** Wakes worker processes listening on the inbox channel once a batch with new rows has committed. */
  private readonly announcer: Announcer;
  private readonly orm: MikroORM;
  private readonly logger: Logger;

  constructor(setup: InboxWriterSetup) {
    this.orm = setup.orm;
    this.logger = setup.logger;
    this.announcer = new Announcer({
      orm: setup.orm,
      logger: setup.logger,
      channel: setup.channel ?? INBOX_CHANNEL,
      payload: setup.sender,
      onFailure: 'could not notify workers; they will find the events by polling',
    });
    this.group = new GroupCommit((rows) => this.writeBatch(rows), setup.maxBatch ?? 64);
  }

  async write(row: NewWebhookEvent): Promise<StoredWebhookEvent> {
    if (this.closed) throw new TenderError('unavailable', 'The webhook inbox is closed; retry later.');
    assertStorable(row);
    const outcome = await this.group.submit(row);
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /** Stores what is already queued, then refuses new rows (as 503, so providers retry later). */
  async close(): Promise<void> {
    this.closed = true;
    await this.group.flushed();
    await this.announcer.settled();
  }

  /** One outcome per row, never a rejection: a bad row must not fail the other requests of its batch. */
  private async writeBatch(rows: NewWebhookEvent[]): Promise<RowAnswer[]> {
    const answers: (RowAnswer | undefined)[] = new Array(rows.length);
    try {
      await this.store(rows, answers);
      return answers as RowAnswer[];
    } catch (error) {
      const unanswered = rows.flatMap((_, i) => (answers[i] ? [] : [i]));
      if (rows.length === 1 || linkDown(error)) {
        for (const i of unanswered) answers[i] = { ok: false, error };
        return answers as RowAnswer[];
      }
      this.logger.warn({ err: error, rows: unanswered.length }, 'inbox batch failed; storing its rows one by one');
      let down: unknown;
      for (const i of unanswered) {
        // Once the database is gone, the rest would only wait for their own connection timeouts.
        if (down) {
          answers[i] = { ok: false, error: down };
          continue;
        }
        const single: (RowAnswer | undefined)[] = [undefined];
        try {
          await this.store([rows[i]!], single);
          answers[i] = single[0];
        } catch (retryError) {
          if (linkDown(retryError)) down = retryError;
          answers[i] = { ok: false, error: retryError };
        }
      }
      return answers as RowAnswer[];
    }
  }

  /**
   * One statement inserts the rows (a new pending row among them then wakes the workers, see `Announcer`);
   * rows already stored get their ids from one follow-up select. Fills
   * `answers` as it learns them, so when it throws, the rows it has not answered are the ones to retry.
   */
  private async store(rows: NewWebhookEvent[], answers: (RowAnswer | undefined)[]): Promise<void> {
    // The same event twice in one batch: the later rows are duplicates of the first, not inserts.
    const byKey = new Map<string, number[]>();
    for (const [i, row] of rows.entries()) {
      const key = dedupKey(row);
      const group = byKey.get(key);
      if (group) group.push(i);
      else byKey.set(key, [i]);
    }
    const groups = [...byKey.values()];
    const ids = groups.map(() => generateId(IdPrefix.webhookEvent));
    const params: unknown[] = [];
    for (const [g, [first]] of groups.entries()) {
      const row = rows[first!]!;
      params.push(
        ids[g],
        row.tenant,
        row.providerId,
        row.eventId,
        row.eventType,
        row.action,
        row.data,
        row.method,
        row.rawBody,
        row.headers,
        row.query,
        row.status,
        row.status === 'ignored' ? new Date() : null,
      );
    }
    this.statements++;
    const db = preparedSqlFor(this.orm);
    const returned = await db.execute<{ id: string; status: string }[]>(insertWebhookEventsSql(groups.length), params);
    if (returned.some((r) => r.status === 'pending')) this.announcer.announce();
    const inserted = new Set(returned.map((r) => r.id));
    const stored: number[][] = [];
    for (const [g, group] of groups.entries()) {
      if (!inserted.has(ids[g]!)) stored.push(group);
      else for (const [j, i] of group.entries()) answers[i] = { ok: true, result: { id: ids[g]!, inserted: j === 0 } };
    }
    if (stored.length === 0) return;

    const existing = await this.existingIds(
      db,
      stored.map(([first]) => rows[first!]!),
    );
    let missing: NewWebhookEvent | undefined;
    for (const group of stored) {
      const id = existing.get(dedupKey(rows[group[0]!]!));
      if (id === undefined) missing = rows[group[0]!];
      else for (const i of group) answers[i] = { ok: true, result: { id, inserted: false } };
    }
    if (missing) throw new Error(`Inbox event ${missing.eventId} conflicted on insert but was not found.`);
  }

  private async existingIds(db: SqlExecutor, rows: NewWebhookEvent[]): Promise<Map<string, string>> {
    const found = await db.execute<{ id: string; tenant: string; provider_id: string; event_id: string }[]>(
      existingEventsSql(rows.length),
      rows.flatMap((row) => [row.tenant, row.providerId, row.eventId]),
    );
    return new Map(found.map((r) => [dedupKey({ tenant: r.tenant, providerId: r.provider_id, eventId: r.event_id }), r.id]));
  }
}

function dedupKey(row: Pick<NewWebhookEvent, 'tenant' | 'providerId' | 'eventId'>): string {
  return JSON.stringify([row.tenant, row.providerId, row.eventId]);
}

const TEXT_COLUMNS = ['tenant', 'providerId', 'eventId', 'eventType', 'action', 'method'] as const;
const JSON_COLUMNS = ['data', 'headers', 'query'] as const;

/** Refuses, for its caller alone, a row PostgreSQL could not store (see storable-values.ts). */
function assertStorable(row: NewWebhookEvent): void {
  const bad = [
    ...TEXT_COLUMNS.filter((column) => !storableText(row[column])),
    ...JSON_COLUMNS.filter((column) => !storableJson(row[column])),
  ];
  if (bad.length === 0) return;
  const fields = bad.map((column) => (column === 'eventId' ? 'event id' : column === 'eventType' ? 'event type' : column));
  throw new TenderError(
    'invalid_data',
    `The webhook's ${fields.join(', ')} contains a character that cannot be stored (NUL or an unpaired surrogate).`,
  );
}

/**
 * True when the database itself is out of reach, so retrying row by row is pointless. A protocol
 * violation (08P01) is in the connection-error class but is caused by what one statement sent.
 */
function linkDown(error: unknown): boolean {
  return isConnectionError(error) && !hasSqlState(error, '08P01');
}

function hasSqlState(error: unknown, code: string, depth = 0): boolean {
  if (depth > 8 || error === null || typeof error !== 'object') return false;
  const { code: own, cause } = error as { code?: unknown; cause?: unknown };
  return own === code || hasSqlState(cause, code, depth + 1);
}
