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
import { unavailableIfDisconnected } from '../database/connection-errors.js';
import { PaymentSession } from '../models/index.js';
import type { RegisteredProvider } from '../providers/registry.js';
import type { ServiceContext } from '../services/context.js';
import { callProvider } from '../services/provider-call.js';
import { withoutCredentials } from './credentials.js';
import type { InboxWriter, StoredWebhookEvent } from './inbox-writer.js';
import type { WebhookMetrics } from './metrics.js';
import { parseBodyForProvider } from './request-body.js';
import { normalizeTenant, unverifiedForTenant } from './tenant.js';

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
  /**
   * True when the tenant exists; consulted before any payment data is read. One indexed read at most
   * (it may load the tenant's options for `providerId` in the same query), and no memory kept for an
   * unknown tenant.
   */
  exists(tenant: string, providerId: string): Promise<boolean>;
}

/** What an inbox is built from. */
export interface WebhookInboxSetup {
  ctx: ServiceContext;
  metrics: WebhookMetrics;
  tenants: TenantDirectory;
  writer: InboxWriter;
  /** Called once a new event is stored (wakes this process's worker). */
  onStored: () => void;
}

/**
 * Turns a verified webhook into an inbox row. The order matters: provider and tenant come from the
 * URL only, the signature is checked on the raw bytes, and the 2xx is sent only after the row commits.
 */
export class WebhookInbox implements WebhookReceiver {
  private readonly ctx: ServiceContext;
  private readonly metrics: WebhookMetrics;
  private readonly tenants: TenantDirectory;
  private readonly writer: InboxWriter;
  private readonly onStored: () => void;

  constructor(setup: WebhookInboxSetup) {
    this.ctx = setup.ctx;
    this.metrics = setup.metrics;
    this.tenants = setup.tenants;
    this.writer = setup.writer;
    this.onStored = setup.onStored;
  }

  /**
   * Verifies and stores one webhook. A lost database, on any of its reads or its insert, leaves here as
   * `TenderError('unavailable')` (a 503, so the provider retries): the one place that translation happens.
   */
  async receiveWebhook(webhook: IncomingWebhook): Promise<WebhookReceipt> {
    try {
      return await this.receive(webhook);
    } catch (error) {
      throw unavailableIfDisconnected(error);
    }
  }

  private async receive(webhook: IncomingWebhook): Promise<WebhookReceipt> {
    this.metrics.increment('received');
    const started = Date.now();
    const tenant = normalizeTenant(webhook.tenant);
    const log = { provider: webhook.provider, tenant };
    let verified: WebhookActionAndData;
    let provider: RegisteredProvider;
    try {
      provider = this.providerAt(webhook.provider);
      verified = await this.verify(webhook, tenant, provider);
      await this.checkSessionAmount(provider, tenant, verified);
    } catch (error) {
      throw this.rejected(log, error, started);
    }
    this.metrics.increment('verified');

    // Without a provider event id, identical bytes are the same event: a hash keeps redeliveries idempotent.
    const eventId = storableEventId(verified.event_id, webhook.rawBody);
    const ignored = verified.action === PaymentActions.NOT_SUPPORTED;
    let stored: StoredWebhookEvent;
    try {
      stored = await this.store(webhook, tenant, provider, eventId, verified, ignored);
    } catch (error) {
      // A value the database cannot hold (a NUL byte) is this request's fault; an outage is not.
      throw TenderError.is(error, 'invalid_data') ? this.rejected(log, error, started) : error;
    }
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

  private rejected(log: object, error: unknown, started: number): unknown {
    this.metrics.increment('rejected');
    const type = error instanceof TenderError ? error.type : 'internal';
    this.ctx.logger.warn(
      { ...log, outcome: 'rejected', type, reason: reasonOf(error), latency_ms: Date.now() - started },
      'webhook rejected',
    );
    return error;
  }

  /**
   * The provider of a route segment, looked up once for the whole request. The 404 names none of the
   * configured ones: the caller is unauthenticated.
   */
  private providerAt(routeKey: string): RegisteredProvider {
    const provider = this.ctx.registry.find(`pp_${routeKey}`);
    if (!provider) throw new TenderError('not_found', 'No payment provider at this webhook route.');
    return provider;
  }

  /**
   * Checks the tenant (one indexed read), then the signature on the request exactly as received. On a
   * tenant's route an unknown tenant and a failed verification answer alike (see `unverifiedForTenant`).
   */
  private async verify(webhook: IncomingWebhook, tenant: string, provider: RegisteredProvider): Promise<WebhookActionAndData> {
    const onTenantRoute = tenant !== normalizeTenant(undefined);
    if (onTenantRoute && !(await this.tenants.exists(tenant, provider.id))) {
      throw unverifiedForTenant(new TenderError('not_found', `Unknown tenant "${tenant}".`));
    }
    try {
      const instance = await this.ctx.registry.instanceFor(provider, tenant);
      const payload = {
        data: parseBodyForProvider(webhook.rawBody, webhook.headers),
        rawData: webhook.rawBody,
        headers: webhook.headers,
        query: webhook.query,
        method: webhook.method,
      };
      return await callProvider(provider.id, 'read a webhook', () => instance.getWebhookActionAndData(payload));
    } catch (error) {
      if (onTenantRoute && TenderError.is(error, 'unauthorized')) throw unverifiedForTenant(error);
      throw error;
    }
  }

  /** Providers whose callbacks carry an unsigned amount (Ifthenpay) must match the session's amount. */
  private async checkSessionAmount(provider: RegisteredProvider, tenant: string, verified: WebhookActionAndData): Promise<void> {
    const providerClass = provider.providerClass as { verifiesSessionAmount?: boolean };
    if (!providerClass.verifiesSessionAmount || !verified.data) return;
    const session = await this.ctx.orm.em.fork().findOne(PaymentSession, { id: verified.data.session_id, tenant });
    if (!session) throw new TenderError('invalid_data', `Webhook names an unknown payment session.`);
    if (compareAmounts(session.amount, verified.data.amount) !== 0) {
      this.ctx.logger.warn(
        { provider: provider.id, tenant, session_id: session.id, expected: session.amount, received: verified.data.amount },
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
    provider: RegisteredProvider,
    eventId: string,
    verified: WebhookActionAndData,
    ignored: boolean,
  ): Promise<StoredWebhookEvent> {
    // The signature was checked on the request as received; the credentials it carried stop here.
    const { headers, query } = withoutCredentials(provider.providerClass.credentialFields, webhook.headers, webhook.query);
    return this.writer.write({
      tenant,
      providerId: provider.id,
      eventId,
      eventType: verified.event_type?.slice(0, MAX_KEY_LENGTH) ?? null,
      action: verified.action,
      data: verified.data ? JSON.stringify(verified.data) : null,
      method: webhook.method.toUpperCase().slice(0, 8),
      rawBody: webhook.rawBody,
      headers: JSON.stringify(headers),
      query: JSON.stringify(query),
      status: ignored ? 'ignored' : 'pending',
    });
  }
}

/** The log's reason: the real one behind a tenant route's deliberately vague answer. */
function reasonOf(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const cause = (error as { cause?: unknown })?.cause;
  return cause instanceof Error ? `${message} (${cause.message})` : message;
}
