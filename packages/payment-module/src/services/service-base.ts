import { AccountHolders } from './account-holders.js';
import { SessionAuthorizer } from './authorization.js';
import { CollectionOperations } from './collections.js';
import type { ServiceContext } from './context.js';
import { MerchantMovements } from './merchant-movements.js';
import { MovementRecords } from './movement-records.js';
import { PaymentCancellation } from './payment-cancellation.js';
import { retrievePayment } from './payment-loader.js';
import { PaymentMethods } from './payment-methods.js';
import { PaymentQueries } from './payment-queries.js';
import { ProviderMovements } from './provider-movements.js';
import { PaymentProviders } from './providers-list.js';
import { RefundReasons } from './refund-reasons.js';
import { SessionQueries } from './session-queries.js';
import { SessionOperations } from './sessions.js';
import { StatusReader } from './status-reader.js';

/**
 * `PaymentModuleService` is written in sections, each a class extending the one before: this base builds
 * the operations every section calls (collection-session-section.ts: collections and sessions;
 * payment-section.ts: payments, captures and refunds; payment-module-service.ts: providers, webhooks,
 * refund reasons, account holders and payment methods).
 */

export const many = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Answers a one-or-many call the way it was asked: one in, one out. */
export async function oneOrMany<I, O>(input: I | I[], run: (inputs: I[]) => Promise<O[]>): Promise<O | O[]> {
  const results = await run(many(input));
  return Array.isArray(input) ? results : results[0]!;
}

/** `run` on each input, one after the other. */
export async function inSequence<I, O>(inputs: I[], run: (input: I) => Promise<O>): Promise<O[]> {
  const results: O[] = [];
  for (const input of inputs) results.push(await run(input));
  return results;
}

export abstract class ServiceBase {
  protected readonly collections: CollectionOperations;
  protected readonly sessions: SessionOperations;
  protected readonly sessionQueries: SessionQueries;
  protected readonly merchantMovements: MerchantMovements;
  protected readonly providerMovements: ProviderMovements;
  protected readonly cancellation: PaymentCancellation;
  protected readonly paymentQueries: PaymentQueries;
  protected readonly movements: MovementRecords;
  protected readonly refundReasons: RefundReasons;
  protected readonly accountHolders: AccountHolders;
  protected readonly paymentMethods: PaymentMethods;
  protected readonly providers: PaymentProviders;
  protected readonly authorizer: SessionAuthorizer;

  constructor(protected readonly ctx: ServiceContext) {
    this.collections = new CollectionOperations(ctx);
    this.sessions = new SessionOperations(ctx);
    this.sessionQueries = new SessionQueries(ctx);
    const statuses = new StatusReader();
    this.merchantMovements = new MerchantMovements(ctx);
    this.providerMovements = new ProviderMovements(ctx, statuses);
    this.cancellation = new PaymentCancellation(ctx);
    this.authorizer = new SessionAuthorizer(ctx, (id) => retrievePayment(ctx.orm, id), statuses);
    this.paymentQueries = new PaymentQueries(ctx);
    this.movements = new MovementRecords(ctx);
    this.refundReasons = new RefundReasons(ctx);
    this.accountHolders = new AccountHolders(ctx);
    this.paymentMethods = new PaymentMethods(ctx, this.accountHolders);
    this.providers = new PaymentProviders(ctx);
  }
}
