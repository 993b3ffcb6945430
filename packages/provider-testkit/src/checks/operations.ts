import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { PaymentProvider, ProviderData } from '@tender/core';
import { assertJsonSerializable, ConformanceFailure, conformanceAssert, describeError } from '../conformance-failure.js';

export interface ConformancePayment {
  session_id: string;
  amount: string;
  currency_code: string;
  data?: ProviderData;
}

export type ResultNormalizer = (result: unknown) => unknown;

/** What the customer does between initiate and authorize where the gateway needs it (see fixtures.customerPays). */
export type CustomerPays = (initiated: { id: string; data?: ProviderData }) => unknown;

export function newConformancePayment(
  identifier: string,
  payment: { amount?: string; currency_code?: string; data?: ProviderData } = {},
) {
  return {
    session_id: `conformance_${identifier}_${randomUUID()}`,
    amount: payment.amount ?? '10.50',
    currency_code: payment.currency_code ?? 'EUR',
    data: payment.data,
  } satisfies ConformancePayment;
}

async function call<T>(label: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new ConformanceFailure(`${label} threw ${describeError(error)}`, { cause: error });
  }
}

/**
 * Runs `operation` twice with the same input, as a retry after a timeout would, and requires the same result:
 * the second call must neither fail ("already captured") nor do the work again.
 */
export async function checkIdempotent<T>(label: string, operation: () => Promise<T>, normalize: ResultNormalizer = (r) => r) {
  const first = await call(`${label} (first call)`, operation);
  const second = await call(`${label} (retried with the same idempotency key)`, operation);
  assertJsonSerializable(first, `${label} result`);
  const [a, b] = [normalize(first), normalize(second)];
  if (!isDeepStrictEqual(a, b)) {
    throw new ConformanceFailure(
      `${label} gave a different result when retried with the same idempotency key:\n` +
        `first:  ${JSON.stringify(a)}\nsecond: ${JSON.stringify(b)}\n` +
        'Pass context.idempotency_key to your gateway, or use fixtures.normalizeResult to drop fields such as timestamps.',
    );
  }
  return first;
}

export async function initiate(provider: PaymentProvider, payment: ConformancePayment) {
  const output = await call('initiatePayment', () =>
    provider.initiatePayment({
      ...payment,
      context: { idempotency_key: `conformance:initiate:${payment.session_id}` },
    }),
  );
  conformanceAssert(
    output && typeof output.id === 'string' && output.id.length > 0,
    `initiatePayment must return { id: <the gateway's non-empty payment id> }, got ${JSON.stringify(output)}.`,
  );
  assertJsonSerializable(output.data, 'initiatePayment data');
  return output;
}

/** Each step hands the next the data the previous one returned, as the payment module stores it. */
export async function authorize(
  provider: PaymentProvider,
  payment: ConformancePayment,
  normalize?: ResultNormalizer,
  customerPays?: CustomerPays,
) {
  const initiated = await initiate(provider, payment);
  if (customerPays) await customerPays(initiated);
  const data = initiated.data ?? {};
  const key = `conformance:authorize:${payment.session_id}`;
  const output = await checkIdempotent(
    'authorizePayment',
    () => provider.authorizePayment({ data, context: { idempotency_key: key } }),
    normalize,
  );
  conformanceAssert(
    typeof output?.status === 'string',
    `authorizePayment must return { status }, got ${JSON.stringify(output)}.`,
  );
  return { data: output.data ?? data, status: output.status };
}

export async function capture(
  provider: PaymentProvider,
  payment: ConformancePayment,
  normalize?: ResultNormalizer,
  customerPays?: CustomerPays,
) {
  const authorized = await authorize(provider, payment, normalize, customerPays);
  const key = `conformance:capture:${payment.session_id}:1`;
  const output = await checkIdempotent(
    'capturePayment',
    () =>
      provider.capturePayment({
        data: authorized.data,
        amount: payment.amount,
        currency_code: payment.currency_code,
        context: { idempotency_key: key },
      }),
    normalize,
  );
  return { data: output?.data ?? authorized.data };
}

export async function refund(
  provider: PaymentProvider,
  payment: ConformancePayment,
  normalize?: ResultNormalizer,
  customerPays?: CustomerPays,
) {
  const captured = await capture(provider, payment, normalize, customerPays);
  const key = `conformance:refund:${payment.session_id}:1`;
  const output = await checkIdempotent(
    'refundPayment',
    () =>
      provider.refundPayment({
        data: captured.data,
        amount: payment.amount,
        currency_code: payment.currency_code,
        context: { idempotency_key: key },
      }),
    normalize,
  );
  return { data: output?.data ?? captured.data };
}

export async function cancel(provider: PaymentProvider, payment: ConformancePayment, normalize?: ResultNormalizer) {
  const initiated = await initiate(provider, payment);
  const data = initiated.data ?? {};
  const key = `conformance:cancel:${payment.session_id}`;
  const output = await checkIdempotent(
    'cancelPayment',
    () => provider.cancelPayment({ data, context: { idempotency_key: key } }),
    normalize,
  );
  return { data: output?.data ?? data };
}
