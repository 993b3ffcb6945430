import type { CartCompletion, CartPort } from '@tender/core';
import { GroupCommit } from '@tender/payment-module';

type BatchingCartPort = CartPort & Required<Pick<CartPort, 'completeCartsOfPaymentCollections'>>;

/** One batcher per cart port, shared by every run of the workflow in this process. */
const batchers = new WeakMap<CartPort, GroupCommit<string, CartCompletion | null>>();

/**
 * Completes a paid collection's cart through the port's `completeCartsOfPaymentCollections`: runs that get
 * here while another batch is being written wait and go together in the next one, so concurrent webhooks
 * share one cart statement and one commit. A lone run is written at once (there is no timer).
 */
export function completeCartTogether(port: BatchingCartPort, paymentCollectionId: string): Promise<CartCompletion | null> {
  let batcher = batchers.get(port);
  if (!batcher) {
    batcher = new GroupCommit((ids) => port.completeCartsOfPaymentCollections(ids));
    batchers.set(port, batcher);
  }
  return batcher.submit(paymentCollectionId);
}

export function completesCartsTogether(port: CartPort): port is BatchingCartPort {
  return typeof port.completeCartsOfPaymentCollections === 'function';
}
