import { randomUUID } from 'node:crypto';
import {
  AbstractPaymentProvider,
  type AccountHolderInput,
  type AccountHolderOutput,
  type AuthorizePaymentOutput,
  type CapturePaymentInput,
  type GetPaymentStatusOutput,
  type InitiatePaymentInput,
  type InitiatePaymentOutput,
  type PaymentDataInput,
  type PaymentDataOutput,
  type PaymentMethodOutput,
  type ProviderContext,
  type ProviderData,
  type ProviderDependencies,
  type ProviderWebhookPayload,
  type RefundPaymentInput,
  TenderError,
  type UpdatePaymentInput,
  type UpdatePaymentOutput,
  type WebhookActionAndData,
} from '@tender/core';
import type Stripe from 'stripe';
import { createStripeClient } from './client.js';
import { paymentIntentOfError, stripeErrorCode, toTenderError } from './errors.js';
import { fromStripeAmount, toStripeAmount } from './money.js';
import { type StripeProviderOptions, stripeOptionsSchema } from './options.js';
import { asData, customerIdOf, intentIdOf } from './provider-data.js';
import { sessionStatusFromPaymentIntent } from './status.js';
import { StripeCalls } from './stripe-calls.js';
import { paymentMethodParams, type StripeVariantConfig } from './variant-config.js';
import { referencedId, SESSION_ID_METADATA_KEY } from './webhook-events.js';
import { StripeWebhookHandler } from './webhook-handler.js';

/** Fields of `initiatePayment`'s `data` that are passed on to the PaymentIntent. */
interface InitiateExtras {
  payment_description?: string;
  setup_future_usage?: Stripe.PaymentIntentCreateParams.SetupFutureUsage;
  payment_method?: string;
  receipt_email?: string;
  metadata?: Record<string, string>;
}

type Intent = Stripe.PaymentIntent;

/**
 * The Stripe provider on the official SDK. Each variant (card, iDEAL, BLIK, …) is a subclass with its own
 * static `identifier`, the way Medusa registers `pp_stripe_stripe`, `pp_stripe-ideal_stripe`, ….
 */
export abstract class StripeProviderBase extends AbstractPaymentProvider<StripeProviderOptions> {
  static override optionsSchema = stripeOptionsSchema;
  static override credentialFields = {};

  static override validateOptions(options: unknown): StripeProviderOptions {
    return AbstractPaymentProvider.validateOptions.call(this, options) as StripeProviderOptions;
  }

  /** The variant's PaymentIntent shape. */
  protected abstract readonly variant: StripeVariantConfig;

  protected readonly stripe: Stripe;
  protected readonly calls: StripeCalls;
  private readonly webhooks: StripeWebhookHandler;

  constructor(dependencies: ProviderDependencies, options: unknown) {
    // Validated here too, so constructing a provider directly fails as early as registering it.
    const validated = (new.target as unknown as typeof StripeProviderBase).validateOptions(options);
    super(dependencies, validated);
    this.stripe = createStripeClient(validated, dependencies);
    this.calls = new StripeCalls(validated);
    this.webhooks = new StripeWebhookHandler(this.stripe, this.calls, validated);
  }

  // ---- payments -------------------------------------------------------------------------------------------

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const currency = input.currency_code.toLowerCase();
    const extras = (input.data ?? {}) as InitiateExtras;
    const customer = referencedId(input.context?.account_holder?.data?.id);
    const description = extras.payment_description ?? this.options.paymentDescription;
    const params: Stripe.PaymentIntentCreateParams = {
      amount: toStripeAmount(input.amount, currency),
      currency,
      // session_id last, so caller metadata can never hide which session a webhook is about.
      metadata: { ...extras.metadata, [SESSION_ID_METADATA_KEY]: input.session_id },
      capture_method: this.variant.captureAlways || this.options.capture ? 'automatic' : 'manual',
      ...paymentMethodParams(this.variant, this.options.automaticPaymentMethods),
      ...(description ? { description } : {}),
      ...(customer ? { customer } : {}),
      ...(extras.setup_future_usage ? { setup_future_usage: extras.setup_future_usage } : {}),
      ...(extras.payment_method ? { payment_method: extras.payment_method } : {}),
      ...(extras.receipt_email ? { receipt_email: extras.receipt_email } : {}),
    };
    const intent = await this.calls.call(
      'create PaymentIntent',
      (options) => this.stripe.paymentIntents.create(params, options),
      {
        context: input.context,
        fallbackKey: `tender:initiate:${input.session_id}`,
      },
    );
    return { id: intent.id, data: asData(intent), status: sessionStatusFromPaymentIntent(intent) };
  }

  override async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const id = intentIdOf(input.data);
    const currency = input.currency_code.toLowerCase();
    const amount = toStripeAmount(input.amount, currency);
    if (input.data.amount === amount && input.data.currency === currency) return { data: input.data };
    const intent = await this.calls.call(
      'update PaymentIntent',
      (options) => this.stripe.paymentIntents.update(id, { amount, currency }, options),
      { context: input.context, fallbackKey: `tender:update:${id}:${amount}:${currency}` },
    );
    return { data: asData(intent), status: sessionStatusFromPaymentIntent(intent) };
  }

  async authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput> {
    return this.getPaymentStatus(input);
  }

  async getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput> {
    const intent = await this.retrieveIntent(intentIdOf(input.data));
    return {
      status: sessionStatusFromPaymentIntent(intent),
      data: asData(intent),
      amount: fromStripeAmount(intent.amount, intent.currency),
      captured_amount: fromStripeAmount(intent.amount_received ?? 0, intent.currency),
    };
  }

  override async retrievePayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    return { data: asData(await this.retrieveIntent(intentIdOf(input.data))) };
  }

  async capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput> {
    const id = intentIdOf(input.data);
    const params: Stripe.PaymentIntentCaptureParams = {};
    if (input.amount !== undefined) {
      const currency = input.currency_code ?? (input.data.currency as string | undefined);
      if (!currency) throw new TenderError('invalid_data', 'capturePayment with an amount needs currency_code.');
      params.amount_to_capture = toStripeAmount(input.amount, currency);
    }
    try {
      const intent = await this.calls.request((options) => this.stripe.paymentIntents.capture(id, params, options), {
        context: input.context,
        fallbackKey: `tender:capture:${id}:${params.amount_to_capture ?? 'full'}`,
      });
      return { data: asData(intent) };
    } catch (error) {
      const current = await this.currentIntentAfter(error, id);
      if (current?.status === 'succeeded') return { data: asData(current) };
      throw toTenderError(error, 'capture PaymentIntent');
    }
  }

  async refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput> {
    const id = intentIdOf(input.data);
    const currency = input.currency_code ?? (input.data.currency as string | undefined);
    if (!currency) throw new TenderError('invalid_data', 'refundPayment needs currency_code (or data.currency).');
    const amount = toStripeAmount(input.amount, currency);
    try {
      const refund = await this.calls.request((options) => this.stripe.refunds.create({ payment_intent: id, amount }, options), {
        context: input.context,
        // Two refunds of the same amount are legitimate, so without a caller key only this call's retries share one.
        fallbackKey: `tender:refund:${randomUUID()}`,
      });
      return { data: { ...input.data, latest_refund: asData(refund) } };
    } catch (error) {
      if (stripeErrorCode(error) === 'charge_already_refunded') return { data: input.data };
      throw toTenderError(error, 'refund PaymentIntent');
    }
  }

  async cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    const id = typeof input.data?.id === 'string' ? input.data.id : undefined;
    // A session that never reached Stripe has nothing to cancel there.
    if (!id) return { data: input.data };
    try {
      const intent = await this.calls.request((options) => this.stripe.paymentIntents.cancel(id, {}, options), {
        context: input.context,
        fallbackKey: `tender:cancel:${id}`,
      });
      return { data: asData(intent) };
    } catch (error) {
      const current = await this.currentIntentAfter(error, id);
      if (current?.status === 'canceled') return { data: asData(current) };
      throw toTenderError(error, 'cancel PaymentIntent');
    }
  }

  // ---- account holders and payment methods ----------------------------------------------------------------

  async createAccountHolder(input: AccountHolderInput): Promise<AccountHolderOutput> {
    const existing = input.context.account_holder;
    if (existing) return { id: existing.id, data: existing.data };
    const { customer } = input.context;
    const created = await this.calls.call(
      'create Customer',
      (options) =>
        this.stripe.customers.create(
          { email: customer.email, name: customer.name, metadata: { tender_customer_id: customer.id } },
          options,
        ),
      { context: input.context, fallbackKey: `tender:account-holder:${customer.id}` },
    );
    return { id: created.id, data: asData(created) };
  }

  async updateAccountHolder(input: AccountHolderInput & { data: ProviderData }): Promise<AccountHolderOutput> {
    const id = customerIdOf(input.data);
    const { customer } = input.context;
    const updated = await this.calls.call(
      'update Customer',
      (options) => this.stripe.customers.update(id, { email: customer.email, name: customer.name }, options),
      {
        context: input.context,
        fallbackKey: `tender:account-holder-update:${id}:${customer.email ?? ''}:${customer.name ?? ''}`,
      },
    );
    return { id: updated.id, data: asData(updated) };
  }

  async deleteAccountHolder(input: { data: ProviderData; context?: ProviderContext }): Promise<void> {
    const id = customerIdOf(input.data);
    try {
      await this.calls.request((options) => this.stripe.customers.del(id, {}, options), { context: input.context });
    } catch (error) {
      if (stripeErrorCode(error) === 'resource_missing') return;
      throw toTenderError(error, 'delete Customer');
    }
  }

  async listPaymentMethods(input: {
    account_holder_data: ProviderData;
    context?: ProviderContext;
  }): Promise<PaymentMethodOutput[]> {
    const id = customerIdOf(input.account_holder_data);
    const list = await this.calls.call('list PaymentMethods', (options) =>
      this.stripe.customers.listPaymentMethods(id, { limit: 100 }, options),
    );
    return list.data.map((method) => ({ id: method.id, data: asData(method) }));
  }

  /** Detaches the method from the Customer; one already detached (or gone) is deleted already. */
  async deletePaymentMethod(input: { account_holder_data: ProviderData; id: string; context?: ProviderContext }): Promise<void> {
    const customer = customerIdOf(input.account_holder_data);
    const method = await this.calls.lookup('retrieve PaymentMethod', (options) =>
      this.stripe.paymentMethods.retrieve(input.id, {}, options),
    );
    if (!method || method.customer === null) return;
    const owner = typeof method.customer === 'string' ? method.customer : method.customer.id;
    if (owner !== customer) {
      throw new TenderError('not_found', `Payment method ${input.id} does not belong to customer ${customer}.`);
    }
    await this.calls.call('detach PaymentMethod', (options) => this.stripe.paymentMethods.detach(input.id, {}, options), {
      context: input.context,
      fallbackKey: `tender:detach:${input.id}`,
    });
  }

  /** Starts saving a payment method: a SetupIntent whose client_secret the storefront confirms. */
  async savePaymentMethod(input: {
    account_holder_data: ProviderData;
    data?: ProviderData;
    context?: ProviderContext;
  }): Promise<PaymentMethodOutput> {
    const customer = customerIdOf(input.account_holder_data);
    const paymentMethod = typeof input.data?.payment_method === 'string' ? input.data.payment_method : undefined;
    const params: Stripe.SetupIntentCreateParams = {
      customer,
      usage: 'off_session',
      ...(paymentMethod ? { payment_method: paymentMethod } : {}),
      ...(this.variant.paymentMethodType ? { allowed_payment_method_types: [this.variant.paymentMethodType] } : {}),
    };
    const intent = await this.calls.call('create SetupIntent', (options) => this.stripe.setupIntents.create(params, options), {
      context: input.context,
      fallbackKey: `tender:setup:${randomUUID()}`,
    });
    return { id: intent.id, data: asData(intent) };
  }

  // ---- webhooks --------------------------------------------------------------------------------------------

  async getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData> {
    return this.webhooks.handle(payload);
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private async retrieveIntent(id: string): Promise<Intent> {
    return this.calls.call('retrieve PaymentIntent', (options) => this.stripe.paymentIntents.retrieve(id, {}, options));
  }

  /** After a refused capture or cancel: the PaymentIntent's state, to tell "already done" from a real refusal. */
  private async currentIntentAfter(error: unknown, id: string): Promise<Intent | undefined> {
    if (stripeErrorCode(error) !== 'payment_intent_unexpected_state') return undefined;
    return paymentIntentOfError(error) ?? this.retrieveIntent(id);
  }
}
