let counter = 0;

/**
 * A fresh Tender payment session id for a provider's own tests, shaped like the ones the payment module makes
 * (`payses_…`, 33 characters), so a gateway field sized for a real one (an order id, a metadata value) takes it.
 */
export function sessionId(): string {
  counter += 1;
  return `payses_TEST${String(Date.now()).slice(-6)}${String(counter).padStart(16, '0')}`;
}
