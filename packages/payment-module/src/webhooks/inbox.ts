import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  compareAmounts,
  type IncomingWebhook,
  isConnectionError,
  PaymentActions,
  TenderError,
  type WebhookActionAndData,
  type WebhookReceipt,
  type WebhookReceiver,
} from '@tender/core';
import { generateId, IdPrefix } from '../ids.js';
import { PaymentSession } from '../models/index.js';
import type { ServiceContext } from '../services/context.js';
import type { PaymentModuleService } from '../services/payment-module-service.js';
import { INBOX_CHANNEL } from './inbox-notifications.js';
import type { WebhookMetrics } from './metrics.js';
import { parseBodyForProvider, storableHeaders } from './request-body.js';
import { normalizeTenant } from './tenant.js';

const MAX_KEY_LENGTH = 255;

/**
 * The id the inbox deduplicates on. A provider's id is kept as it is unless it would not fit the column,
 * in which case its digest stands in (still stable across redeliveries).
 */
function storableEventId(providerEventId: string | undefined, rawBody: Buffer): string {
  if (providerEventId === undefined) return `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
  if (providerEventId.length <= MAX_KEY_LENGTH) return providerEventId;
  return `sha256:${createHash('sha256').update(providerEventId).digest('hex')}`;
}

export interface TenantDirectory {
  /** True when the tenant exists; consulted before any payment data is read. */
  exists(tenant: string): Promise<boolean>;
}

/**
 * Turns a verified webhook into an inbox row. The order matters: provider and tenant come from the
 * URL only, the signature is checked on the raw bytes, and the 2xx is sent only after the row commits.
 */
export class WebhookInbox implements WebhookReceiver {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly service: PaymentModuleService,
    private readonly metrics: WebhookMetrics,
    private readonly tenants: TenantDirectory,
    private readonly onStored: () => void,
  ) {}

  async receiveWebhook(webhook: IncomingWebhook): Promise<WebhookReceipt> {
    this.metrics.increment('received');
    const started = Date.now();
    const tenant = normalizeTenant(webhook.tenant);
    const log = { provider: webhook.provider, tenant };
    let verified: WebhookActionAndData;
    let providerId: string;
    try {
      providerId = this.ctx.registry.byRouteKey(webhook.provider).id;
      if (tenant !== normalizeTenant(undefined) && !(await this.tenants.exists(tenant))) {
        throw new TenderError('not_found', `Unknown tenant "${tenant}".`);
      }
      verified = await this.service.getWebhookActionAndData({
        provider: providerId,
        tenant,
        payload: {
          data: parseBodyForProvider(webhook.rawBody, webhook.headers),
          rawData: webhook.rawBody,
          headers: webhook.headers,
          query: webhook.query,
          method: webhook.method,
        },
      });
      await this.checkSessionAmount(providerId, tenant, verified);
    } catch (error) {
      this.metrics.increment('rejected');
      const type = error instanceof TenderError ? error.type : 'internal';
      this.ctx.logger.warn(
        { ...log, outcome: 'rejected', type, reason: (error as Error).message, latency_ms: Date.now() - started },
        'webhook rejected',
      );
      throw error;
    }
    this.metrics.increment('verified');

    // Without a provider event id, identical bytes are the same event: a hash keeps redeliveries idempotent.
    const eventId = storableEventId(verified.event_id, webhook.rawBody);
    const ignored = verified.action === PaymentActions.NOT_SUPPORTED;
    const stored = await this.store(webhook, tenant, providerId, eventId, verified, ignored);
    const outcome = stored.inserted ? (ignored ? 'ignored' : 'accepted') : 'duplicate';
    if (outcome !== 'accepted') this.metrics.increment(outcome);
    this.ctx.logger.info(
      {
        ...log,
        event_id: eventId,
        event_type: verified.event_type,
        action: verified.action,
        outcome,
        latency_ms: Date.now() - started,
      },
      'webhook stored',
    );
    if (outcome === 'accepted') this.onStored();
    return { outcome, webhook_event_id: stored.id, event_id: eventId, action: verified.action };
  }

  /** Providers whose callbacks carry an unsigned amount (Ifthenpay) must match the session's amount. */
  private async checkSessionAmount(providerId: string, tenant: string, verified: WebhookActionAndData): Promise<void> {
    const providerClass = this.ctx.registry.get(providerId).providerClass as { verifiesSessionAmount?: boolean };
    if (!providerClass.verifiesSessionAmount || !verified.data) return;
    const session = await this.ctx.orm.em.fork().findOne(PaymentSession, { id: verified.data.session_id, tenant });
    if (!session) throw new TenderError('invalid_data', `Webhook names an unknown payment session.`);
    if (compareAmounts(session.amount, verified.data.amount) !== 0) {
      this.ctx.logger.warn(
        { provider: providerId, tenant, session_id: session.id, expected: session.amount, received: verified.data.amount },
        'webhook amount does not match the session',
      );
      throw new TenderError(
        'invalid_data',
        `Webhook amount ${verified.data.amount} does not match the payment session's amount.`,
      );
    }
  }

  /** Wakes worker processes listening on the inbox channel; the row is committed, so a failure here only delays. */
  private async announce(em: EntityManager, id: string): Promise<void> {
    try {
      await em.execute('select pg_notify(?, ?)', [INBOX_CHANNEL, id]);
    } catch (error) {
      this.ctx.logger.warn({ err: error, webhook_event_id: id }, 'could not notify workers; they will find the event by polling');
    }
  }

  private async store(
    webhook: IncomingWebhook,
    tenant: string,
    providerId: string,
    eventId: string,
    verified: WebhookActionAndData,
    ignored: boolean,
  ): Promise<{ id: string; inserted: boolean }> {
    const em = this.ctx.orm.em.fork();
    try {
      const id = generateId(IdPrefix.webhookEvent);
      const inserted = await em.execute<{ id: string }[]>(
        `insert into webhook_event (id, tenant, provider_id, event_id, event_type, action, data, method, raw_body, headers, query, status, processed_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (tenant, provider_id, event_id) do nothing
         returning id`,
        [
          id,
          tenant,
          providerId,
          eventId,
          verified.event_type?.slice(0, MAX_KEY_LENGTH) ?? null,
          verified.action,
          verified.data ? JSON.stringify(verified.data) : null,
          webhook.method.toUpperCase().slice(0, 8),
          webhook.rawBody,
          JSON.stringify(storableHeaders(webhook.headers)),
          JSON.stringify(webhook.query ?? {}),
          ignored ? 'ignored' : 'pending',
          ignored ? new Date() : null,
        ],
      );
      if (inserted.length > 0) {
        if (!ignored) await this.announce(em, inserted[0]!.id);
        return { id: inserted[0]!.id, inserted: true };
      }
      const [existing] = await em.execute<{ id: string }[]>(
        'select id from webhook_event where tenant = ? and provider_id = ? and event_id = ?',
        [tenant, providerId, eventId],
      );
      return { id: existing!.id, inserted: false };
    } catch (error) {
      if (isConnectionError(error)) {
        throw new TenderError('unavailable', 'The payment database is unavailable; retry later.', { cause: error });
      }
      throw error;
    }
  }
}
