/** A cart as the payment workflow needs to see it. */
export interface CartRef {
  id: string;
  completed_at?: Date | string | null;
  order_id?: string | null;
}

/** What completing a payment collection's cart came to. */
export interface CartCompletion {
  cart_id: string;
  order_id: string;
  /** False when the cart was already completed (by the storefront or an earlier event). */
  created: boolean;
}

/**
 * The host's cart module, as the payment workflow talks to it. `completeCart` must be idempotent:
 * a second call for a completed cart returns the same order id and creates nothing.
 */
export interface CartPort {
  retrieveCartByPaymentCollection(paymentCollectionId: string): Promise<CartRef | null>;
  /** `created` is false when the cart was already completed (by the storefront or an earlier event). */
  completeCart(cartId: string): Promise<{ order_id: string; created?: boolean }>;
  /**
   * Optional: finds and completes the carts of several paid payment collections at once (one statement or
   * transaction), each answer as `retrieveCartByPaymentCollection` then `completeCart` would give it, and
   * null for a collection with no cart. With it, the workflow completes the carts of webhooks processed at
   * the same moment together: one commit for many orders instead of one each.
   */
  completeCartsOfPaymentCollections?(paymentCollectionIds: string[]): Promise<(CartCompletion | null)[]>;
}
