/**
 * The parts of a webhook request that carry a credential the gateway sends verbatim: a shared key in the
 * query string (Ifthenpay's anti-phishing `key`), a password in a header (Easypay's Basic credentials).
 * Whoever reads one can forge deliveries, so the payment module drops them once the request is verified:
 * they are never stored in the inbox, logged or printed.
 *
 * A signature header is not a credential: it proves one body only, is useless for any other request, and is
 * kept for audit. Declare only what is a secret in itself.
 */
export interface CredentialFields {
  /** Query parameter names, matched exactly (legacy aliases too, e.g. Ifthenpay's `chave`). */
  readonly query?: readonly string[];
  /** Header names, matched case-insensitively. */
  readonly headers?: readonly string[];
}
