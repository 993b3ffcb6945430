import type { EntityDictionary } from '@mikro-orm/core';
import { TenderError } from '@tender/core';
import { preparedSqlFor } from '../database/prepared-sql.js';
import { WebhookEvent } from '../models/index.js';
import type { ServiceContext } from '../services/context.js';
import { REPLAY_WEBHOOK_EVENT_SQL } from '../sql/webhook-event.js';

export interface WebhookEventDTO {
  id: string;
  tenant: string;
  provider_id: string;
  event_id: string;
  event_type: string | null;
  action: string;
  data: Record<string, unknown> | null;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  result: Record<string, unknown> | null;
  received_at: Date;
  processed_at: Date | null;
}

export interface WebhookEventDetailDTO extends WebhookEventDTO {
  method: string;
  headers: Record<string, unknown>;
  query: Record<string, unknown> | null;
  /** The body exactly as received. */
  raw_body: Buffer;
}

function toDTO(e: WebhookEvent): WebhookEventDTO {
  return {
    id: e.id,
    tenant: e.tenant,
    provider_id: e.provider_id,
    event_id: e.event_id,
    event_type: e.event_type ?? null,
    action: e.action,
    data: e.data ?? null,
    status: e.status,
    attempts: e.attempts,
    next_attempt_at: e.next_attempt_at,
    last_error: e.last_error ?? null,
    result: e.result ?? null,
    received_at: e.received_at,
    processed_at: e.processed_at ?? null,
  };
}

/** `payments.webhooks`: read the inbox and replay an event through the same pipeline. */
export class WebhookEventsApi {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly onReplay: () => void,
  ) {}

  async list(
    filter: {
      status?: string;
      provider?: string;
      tenant?: string;
      /** Events about these payment sessions (the `session_id` their provider reported). */
      session_id?: string | string[];
      take?: number;
      skip?: number;
    } = {},
  ): Promise<WebhookEventDTO[]> {
    const where: Record<string, unknown> = {};
    if (filter.session_id !== undefined) {
      where.data = { session_id: { $in: Array.isArray(filter.session_id) ? filter.session_id : [filter.session_id] } };
    }
    if (filter.status) where.status = filter.status;
    if (filter.provider) where.provider_id = filter.provider.startsWith('pp_') ? filter.provider : `pp_${filter.provider}`;
    if (filter.tenant) where.tenant = filter.tenant;
    const rows = await this.ctx.orm.em.fork().find(WebhookEvent, where, {
      orderBy: { received_at: 'desc', id: 'desc' },
      limit: filter.take ?? 50,
      offset: filter.skip ?? 0,
      exclude: ['raw_body'] as never,
    });
    return rows.map(toDTO);
  }

  async retrieve(id: string): Promise<WebhookEventDetailDTO> {
    const row = await this.ctx.orm.em.fork().findOne(WebhookEvent, { id });
    if (!row) throw new TenderError('not_found', `Webhook event ${id} was not found.`);
    return {
      ...toDTO(row),
      method: row.method,
      headers: row.headers,
      query: row.query ?? null,
      raw_body: Buffer.from(row.raw_body),
    };
  }

  /**
   * Queues the event again with fresh attempts. Safe on a processed event: the workflow is idempotent,
   * so a replay of an applied event changes nothing.
   */
  async replay(id: string): Promise<WebhookEventDTO> {
    const [row] = await preparedSqlFor(this.ctx.orm).execute<({ busy: boolean } & EntityDictionary<WebhookEvent>)[]>(
      REPLAY_WEBHOOK_EVENT_SQL,
      [id],
    );
    if (!row) throw new TenderError('not_found', `Webhook event ${id} was not found.`);
    if (row.busy) {
      throw new TenderError('conflict', `Webhook event ${id} is being processed right now; replay it when it finishes.`);
    }
    this.onReplay();
    const { busy: _, ...replayed } = row;
    // Mapped as the entity, so its columns read as `list` reads them (timestamps as Dates).
    return toDTO(this.ctx.orm.em.fork().map(WebhookEvent, replayed as EntityDictionary<WebhookEvent>));
  }
}
