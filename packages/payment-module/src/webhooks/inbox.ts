import { createHash } from 'node:crypto';
import {
  compareAmounts,
  type IncomingWebhook,
  PaymentActions,
  TenderError,
  type WebhookActionAndData,
  type WebhookReceipt,
  type WebhookReceiver,
} from '@tender/core';
import { PaymentSession } from '../models/index.js';
import type { ServiceContext } from '../services/context.js';
import type { PaymentModuleService } from '../services/payment-module-service.js';
import type { InboxWriteResult, InboxWriter } from './inbox-writer.js';
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
    private readonly writer: InboxWriter,
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

  private store(
    webhook: IncomingWebhook,
    tenant: string,
    providerId: string,
    eventId: string,
    verified: WebhookActionAndData,
    ignored: boolean,
  ): Promise<InboxWriteResult> {
    return this.writer.write({
      tenant,
      providerId,
      eventId,
      eventType: verified.event_type?.slice(0, MAX_KEY_LENGTH) ?? null,
      action: verified.action,
      data: verified.data ? JSON.stringify(verified.data) : null,
      method: webhook.method.toUpperCase().slice(0, 8),
      rawBody: webhook.rawBody,
      headers: JSON.stringify(storableHeaders(webhook.headers)),
      query: JSON.stringify(webhook.query ?? {}),
      status: ignored ? 'ignored' : 'pending',
    });
  }
}
