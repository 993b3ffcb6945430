import type { CapturePaymentInput, PaymentDataInput, RefundPaymentInput } from '@tender/core';
import type { ProviderRegistration, WorkflowDependencies } from '@tender/payment-module';
import { createTestPaymentModule, type TestPaymentModule, writeEvents } from '@tender/payment-module/testing';
import { type ProcessPaymentInput, type ProcessPaymentResult, processPaymentWorkflow } from '@tender/process-payment-workflow';
import { SystemPaymentProvider } from '@tender/provider-system';
import { PostgresCartStore } from '@tender/reference-cart';

/** The real system provider, counting the calls that would move money at a gateway. */
export class CountingProvider extends SystemPaymentProvider {
  static override identifier = 'counting';
  static calls = { authorize: 0, capture: 0, refund: 0, cancel: 0 };
  static reset() {
    CountingProvider.calls = { authorize: 0, capture: 0, refund: 0, cancel: 0 };
  }
  override async authorizePayment(input: PaymentDataInput) {
    CountingProvider.calls.authorize++;
    return super.authorizePayment(input);
  }
  override async capturePayment(input: CapturePaymentInput) {
    CountingProvider.calls.capture++;
    return super.capturePayment(input);
  }
  override async refundPayment(input: RefundPaymentInput) {
    CountingProvider.calls.refund++;
    return super.refundPayment(input);
  }
  override async cancelPayment(input: PaymentDataInput) {
    CountingProvider.calls.cancel++;
    return super.cancelPayment(input);
  }
}

export const COUNTING = 'pp_counting_default';

/**
 * A payment module running the workflow (no worker: tests call it directly), with a reference cart store
 * (`Cart`, for a subclass that records its calls) as its `cart` option.
 */
export async function startWorkflowModule<Cart extends PostgresCartStore = PostgresCartStore>(
  providers: ProviderRegistration[],
  Cart: new (url: string | undefined, options: { max?: number }) => Cart = PostgresCartStore as never,
): Promise<{ payments: TestPaymentModule; carts: Cart }> {
  const carts = new Cart(undefined, { max: 20 });
  const payments = await createTestPaymentModule({
    providers,
    workflow: processPaymentWorkflow,
    cart: carts,
    worker: false,
    poolSize: 20,
  });
  await carts.open(payments.databaseUrl);
  return { payments, carts };
}

/** A collection, one session of `provider` for its whole amount, and its cart. */
export async function checkout(
  payments: TestPaymentModule,
  carts: PostgresCartStore,
  amount = '25.00',
  options: { tenant?: string; provider?: string } = {},
) {
  const collection = await payments.service.createPaymentCollections({ currency_code: 'usd', amount, tenant: options.tenant });
  const session = await payments.service.createPaymentSession(collection.id, {
    provider_id: options.provider ?? COUNTING,
    amount,
    currency_code: 'usd',
  });
  const cart = await carts.createCart(collection.id);
  return { collection, session, cart };
}

/**
 * The workflow run as the module's worker runs it, for tests that call `run` themselves: the domain events a
 * run returns (its cart's `cart.completed`) are written once it ends, as the worker writes them with the
 * event's outcome.
 */
export function workflowAsTheWorkerRunsIt(payments: TestPaymentModule, overrides: Partial<WorkflowDependencies> = {}) {
  const workflow = processPaymentWorkflow({ ...payments.workflowDependencies, ...overrides });
  return {
    async run(args: { input: ProcessPaymentInput }): Promise<ProcessPaymentResult> {
      const result = await workflow.run(args);
      if (result.events?.length) await writeEvents(payments, result.events);
      return result;
    },
  };
}
