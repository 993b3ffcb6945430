import {
  type AuthorizePaymentOutput,
  assertPositiveAmount,
  compareAmounts,
  type PaymentProvider,
  type ProviderContext,
  TenderError,
} from '@tender/core';
import { GroupCommit } from '../concurrency/group-commit.js';
import { preparedSqlFor } from '../database/prepared-sql.js';
import { type AuthorizationOutcome, type AuthorizeOptions, claimedAmount, type Reported } from './authorization-decision.js';
import { readSessionsForAuthorization, type SessionForAuthorization } from './authorization-rows.js';
import { AuthorizationWriter } from './authorization-writer.js';
import type { ServiceContext } from './context.js';
import type { PaymentDTO } from './dto.js';
import type { ReportedMovement } from './movements.js';
import { callProvider } from './provider-call.js';
import type { StatusReader } from './status-reader.js';
import {
  assertOwnSession,
  ForeignWebhookError,
  gatewayCanBeAsked,
  ProviderContradictsWebhookError,
  provenAmount,
  type WebhookClaim,
} from './webhook-trust.js';

export type { AuthorizeOptions, WebhookAuthorizationClaim } from './authorization-decision.js';

export interface WebhookAuthorizationInput extends WebhookClaim {
  status: 'authorized' | 'captured';
  /** What the webhook reports as authorized; for `captured`, `capture.amount` is used. */
  amount?: string;
  /** A capture the webhook reports, recorded in the transaction that creates the payment. */
  capture?: ReportedMovement;
}

export interface WebhookAuthorizationResult {
  payment: PaymentDTO;
  /** True when this call created the payment (false: it existed, or a concurrent call made it). */
  created: boolean;
  /** The capture amount this call recorded from `capture` ('0' when none). */
  captured: string;
  /** The collection's status as this call's transaction left it; absent when the payment already existed. */
  collection_status?: string;
}

/**
 * Asks the provider whether a session is authorized and, when it is, creates the session's one payment.
 * Idempotent: a session that has a payment returns it without calling the provider. The provider is
 * called with no lock held; the payment is written under the collection's row lock, after checking
 * that no concurrent call wrote it first.
 *
 * Each call is one session's. Calls made at the same moment (a worker's batch of webhooks) share their
 * reads and their write underneath, so they cost one statement and one commit together instead of one each.
 */
export class SessionAuthorizer {
  private readonly sessions: GroupCommit<string, SessionForAuthorization | null>;
  private readonly writer: AuthorizationWriter;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly retrievePayment: (id: string) => Promise<PaymentDTO>,
    private readonly statuses: StatusReader,
  ) {
    this.sessions = new GroupCommit(async (ids) => {
      const rows = await readSessionsForAuthorization(preparedSqlFor(ctx.orm), [...new Set(ids)]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    this.writer = new AuthorizationWriter(ctx);
  }

  /**
   * A merchant's `authorizePaymentSession`: the provider's own authorization. When the provider reports the
   * money already captured (auto-capture), the capture is recorded without a second provider capture.
   */
  async authorizePaymentSession(sessionId: string, context: ProviderContext = {}): Promise<PaymentDTO> {
    return (await this.authorize(sessionId, context, {})).payment;
  }

  /**
   * A verified webhook's authorization: only for a session of the webhook's own provider and tenant, on the
   * gateway's own status where it can be asked (else the webhook's word, for the amount it reports); a capture
   * it reports is recorded in the same transaction as the new payment. Says whether this call created the
   * payment, so the caller knows what is its own to compensate.
   */
  applyWebhookAuthorization(sessionId: string, input: WebhookAuthorizationInput): Promise<WebhookAuthorizationResult> {
    const { capture, ...claim } = input;
    return this.authorize(sessionId, {}, { webhook: claim, providerCapture: capture });
  }

  private async authorize(
    sessionId: string,
    context: ProviderContext,
    options: AuthorizeOptions,
  ): Promise<WebhookAuthorizationResult> {
    const reported = reportedCapture(options);
    const session = await this.sessions.submit(sessionId);
    if (!session) throw notFound(sessionId);
    if (options.webhook) assertOwnSession(session, options.webhook);
    const provider = await this.ctx.registry.instanceFor(session.provider_id, session.tenant);
    const decides = options.webhook ? !gatewayCanBeAsked(provider, session.data) : false;
    if (session.payment_id && !this.mayRaise(session, options, decides)) return this.existing(session.payment_id);
    // A payment that exists is only raised to what the webhook proves: there is nothing to ask the provider.
    const authorization = session.payment_id
      ? { status: options.webhook!.status }
      : await this.askProvider(provider, session, context, options, decides);
    return this.resultOf(sessionId, await this.writer.write({ session, authorization, options, reported, decides }));
  }

  /**
   * Whether a webhook-decided claim proves more than the session's payment holds (a capture of 10.00 that
   * arrived before the authorization of 50.00): the payment then grows to what is proven, so the amounts
   * recorded do not depend on the order the events came in.
   */
  private mayRaise(session: SessionForAuthorization, options: AuthorizeOptions, decides: boolean): boolean {
    if (!options.webhook || !decides || session.payment_amount === null) return false;
    return compareAmounts(provenAmount(claimedAmount(options), session.amount), session.payment_amount) > 0;
  }

  /**
   * The provider's answer: for a merchant's call, its authorization; for a webhook, its status of the
   * session's own payment (a question, never a command), or nothing to ask when it has no status call.
   */
  private async askProvider(
    provider: PaymentProvider,
    session: SessionForAuthorization,
    context: ProviderContext,
    options: AuthorizeOptions,
    decides: boolean,
  ): Promise<AuthorizePaymentOutput> {
    const webhook = options.webhook;
    if (webhook && decides) return { status: webhook.status };
    const input = {
      data: session.data,
      context: { ...context, tenant: session.tenant, idempotency_key: `${session.id}:authorize` },
    };
    return webhook
      ? this.statuses.read(session.provider_id, provider, input)
      : callProvider(session.provider_id, 'authorize a payment', () => provider.authorizePayment(input));
  }

  /** What a written outcome means for the caller: the payment, or why there is none. */
  private async resultOf(sessionId: string, outcome: AuthorizationOutcome): Promise<WebhookAuthorizationResult> {
    switch (outcome.kind) {
      case 'missing':
        throw notFound(sessionId);
      case 'foreign':
        throw new ForeignWebhookError(outcome.reason);
      case 'existing':
        return this.existing(outcome.paymentId);
      case 'declined':
        if (outcome.contradicts) throw new ProviderContradictsWebhookError(sessionId, outcome.status, outcome.contradicts);
        throw new TenderError(
          'not_allowed',
          `Payment session ${sessionId} is ${outcome.status} at the provider, not authorized.`,
          {
            details: { status: outcome.status },
          },
        );
      case 'created':
        return {
          payment: outcome.payment,
          created: true,
          captured: outcome.captured,
          collection_status: outcome.collectionStatus,
        };
    }
  }

  private async existing(paymentId: string): Promise<WebhookAuthorizationResult> {
    return { payment: await this.retrievePayment(paymentId), created: false, captured: '0' };
  }
}

function notFound(sessionId: string): TenderError {
  return new TenderError('not_found', `Payment session ${sessionId} was not found.`);
}

/** The capture a webhook reports, its amount checked before anything is asked or written. */
function reportedCapture(options: AuthorizeOptions): Reported {
  const capture = options.providerCapture;
  if (!capture) return undefined;
  return {
    amount: capture.amount === undefined ? undefined : assertPositiveAmount(capture.amount, 'captured amount'),
    reference: capture.reference,
  };
}
