import { describe, expect, it } from '@jest/globals';
import { expectTenderError, makeProvider, SECRET } from './support/harness.js';

/** Without apiBaseUrl nothing may go over the network. */
const noNetwork: typeof fetch = () => {
  throw new Error('the manual gateway must not make HTTP calls');
};
const provider = () => makeProvider({ secrets: [SECRET] }, noNetwork);
const ctx = (idempotency_key: string) => ({ idempotency_key });

async function initiated() {
  return provider().initiatePayment({ session_id: 'ps_1', amount: '30.00', currency_code: 'eur', context: ctx('ps_1') });
}

describe('manual / asynchronous gateway (no apiBaseUrl)', () => {
  it('initiatePayment hands out a reference for the customer to pay against', async () => {
    expect(await initiated()).toEqual({
      id: 'hmac_ps_1',
      status: 'pending',
      data: { session_id: 'ps_1', amount: '30.00', currency_code: 'eur', reference: 'hmac_ps_1', status: 'pending' },
    });
  });

  it('authorizes locally and reports the recorded status', async () => {
    const { data } = await initiated();
    expect((await provider().getPaymentStatus({ data: data! })).status).toBe('pending');
    const authorized = await provider().authorizePayment({ data: data!, context: ctx('auth') });
    expect(authorized.status).toBe('authorized');
    expect((await provider().getPaymentStatus({ data: authorized.data! })).status).toBe('authorized');
  });

  it('records captures locally: full by default, partial ones accumulate, a retried key records nothing new', async () => {
    const { data } = await initiated();
    const full = await provider().capturePayment({ data: data!, context: ctx('capture:1') });
    expect(full.data).toMatchObject({ status: 'captured', captures: [{ idempotency_key: 'capture:1', amount: '30' }] });

    const first = await provider().capturePayment({ data: data!, amount: '10.00', context: ctx('capture:a') });
    const second = await provider().capturePayment({ data: first.data!, amount: '5.50', context: ctx('capture:b') });
    const retried = await provider().capturePayment({ data: second.data!, amount: '5.50', context: ctx('capture:b') });
    expect(retried.data?.captures).toEqual([
      { idempotency_key: 'capture:a', amount: '10' },
      { idempotency_key: 'capture:b', amount: '5.5' },
    ]);
    expect((await provider().getPaymentStatus({ data: retried.data! })).status).toBe('captured');
  });

  it('records refunds locally and refuses a refund of nothing', async () => {
    const { data } = await initiated();
    const refunded = await provider().refundPayment({ data: data!, amount: '12.34', context: ctx('refund:1') });
    expect(refunded.data?.refunds).toEqual([{ idempotency_key: 'refund:1', amount: '12.34' }]);
    await expectTenderError(
      provider().refundPayment({ data: data!, amount: '0', context: ctx('refund:2') }),
      'invalid_data',
      /refund amount must be greater than zero/,
    );
  });

  it('cancels, and a second cancel changes nothing', async () => {
    const { data } = await initiated();
    const canceled = await provider().cancelPayment({ data: data!, context: ctx('cancel') });
    expect(canceled.data?.status).toBe('canceled');
    expect(await provider().cancelPayment({ data: canceled.data!, context: ctx('cancel') })).toEqual(canceled);
    expect((await provider().getPaymentStatus({ data: canceled.data! })).status).toBe('canceled');
  });
});
