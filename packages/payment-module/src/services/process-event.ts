import { type HeaderValue, type IncomingWebhook, TenderError, type WebhookReceipt } from '@tender/core';
import { WebhookEvent } from '../models/index.js';
import type { WebhookWorker } from '../webhooks/worker.js';
import type { ServiceContext } from './context.js';

/** Medusa's ProviderWebhookPayload: the provider, and the request as the host's transport received it. */
export interface ProcessEventInput {
  /** The registry id (`pp_stripe_stripe`) or its route key (`stripe_stripe`). */
  provider: string;
  payload: {
    /** The parsed body, if the transport has it; the signature is checked on `rawData`. */
    data?: Record<string, unknown>;
    /** The request body exactly as sent. */
    rawData: Buffer;
    headers: Record<string, HeaderValue>;
    query?: Record<string, string>;
    method?: string;
  };
  /** The tenant the transport received the webhook for (the route's `/:tenant`). */
  tenant?: string;
}

export interface ProcessEventResult {
  /** What storing the event came to, as the route would answer it. */
  outcome: WebhookReceipt['outcome'];
  webhook_event_id: string;
  event_id: string;
  action: string;
  /** The inbox row's status once applied: `processed` or `ignored`. */
  status: string;
  /** What applying it changed (the workflow's result: payment, collection status, order…). */
  result: Record<string, unknown> | null;
}

/** Gets due inbox events applied: runs a worker round, or wakes the running worker and gives it `waitMs`. */
export interface EventApplier {
  nudge(waitMs: number): Promise<void>;
}

/** What `processEvent` needs of the module: the route's receiver, and a worker that applies due events. */
export interface EventPipeline {
  receive(webhook: IncomingWebhook): Promise<WebhookReceipt>;
  /**
   * A worker that applies due inbox events: the running one (nudged to look now), or one that runs a round
   * each time it is asked. Undefined when no workflow is configured.
   */
  worker(): EventApplier | undefined;
}

const FINAL = new Set(['processed', 'ignored', 'failed', 'dead']);
const WAIT_MS = 60_000;

/**
 * Verifies and stores a webhook exactly as the route does (same receiver: signature on the raw bytes,
 * tenant from the caller only, duplicate detection), then has the worker apply it and waits for its
 * outcome, so a host that takes webhooks through its own transport (a queue consumer) can acknowledge
 * its message only once the event is applied.
 */
export async function processEvent(ctx: ServiceContext, pipeline: EventPipeline | undefined, input: ProcessEventInput) {
  const worker = pipeline?.worker();
  if (!pipeline || !worker) {
    throw new TenderError(
      'not_allowed',
      'processEvent needs a workflow: pass `workflow: processPaymentWorkflow` to createPaymentModule.',
    );
  }
  if (!input?.payload || !Buffer.isBuffer(input.payload.rawData)) {
    throw new TenderError(
      'invalid_data',
      'payload.rawData must be the request body as a Buffer: signatures are checked on the exact bytes.',
    );
  }
  const receipt = await pipeline.receive({
    provider: input.provider.startsWith('pp_') ? input.provider.slice(3) : input.provider,
    tenant: input.tenant,
    method: (input.payload.method ?? 'POST').toUpperCase(),
    headers: lowerCased(input.payload.headers ?? {}),
    query: input.payload.query ?? {},
    rawBody: input.payload.rawData,
  });
  const row = await appliedRow(ctx, worker, receipt.webhook_event_id);
  if (row.status === 'failed' || row.status === 'dead') {
    throw new TenderError(
      'unavailable',
      `Webhook event ${row.id} is stored but could not be applied (${row.status}): ${row.last_error ?? 'unknown error'}. ` +
        (row.status === 'failed' ? 'The worker retries it.' : 'Replay it once the cause is fixed.'),
      { details: { webhook_event_id: row.id, status: row.status } },
    );
  }
  return {
    outcome: receipt.outcome,
    webhook_event_id: receipt.webhook_event_id,
    event_id: receipt.event_id,
    action: receipt.action,
    status: row.status,
    result: row.result ?? null,
  } satisfies ProcessEventResult;
}

/** The inbox row once the worker has applied it (or tried to), polling while another worker holds it. */
async function appliedRow(ctx: ServiceContext, worker: EventApplier, id: string): Promise<WebhookEvent> {
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    const row = await ctx.orm.em.fork().findOneOrFail(WebhookEvent, { id }, { exclude: ['raw_body'] as never });
    if (FINAL.has(row.status)) return row;
    if (Date.now() > deadline) {
      throw new TenderError('unavailable', `Webhook event ${id} is stored but was not applied within ${WAIT_MS / 1000} s.`);
    }
    // Pending: ours to have applied. Processing: a worker holds it; its outcome is a poll away.
    if (row.status === 'pending') await worker.nudge(delay);
    else await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * The applier for a module: its running worker, woken to look now; or, when the module runs no worker of its
 * own (`worker: false`), one made on first use that runs a round of the inbox each time it is nudged.
 * `running` answers undefined with no workflow, and `make` is called only with one.
 */
export function eventApplier(
  running: () => WebhookWorker | undefined | null,
  make: () => WebhookWorker,
): () => EventApplier | undefined {
  let own: WebhookWorker | undefined;
  return () => {
    const worker = running();
    if (worker) {
      return {
        async nudge(waitMs) {
          worker.notify();
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        },
      };
    }
    if (worker === null) return undefined;
    own ??= make();
    const applier = own;
    return {
      async nudge() {
        await applier.runOnce();
      },
    };
  };
}

function lowerCased(headers: Record<string, HeaderValue>): Record<string, HeaderValue> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
