/** A cart as the payment workflow needs to see it. */
export interface CartRef {
  id: string;
  completed_at?: Date | string | null;
  order_id?: string | null;
}

/**
 * The host's cart module, as the payment workflow talks to it. `completeCart` must be idempotent:
 * a second call for a completed cart returns the same order id and creates nothing.
 */
export interface CartPort {
  retrieveCartByPaymentCollection(paymentCollectionId: string): Promise<CartRef | null>;
  /** `created` is false when the cart was already completed (by the storefront or an earlier event). */
  completeCart(cartId: string): Promise<{ order_id: string; created?: boolean }>;
}
