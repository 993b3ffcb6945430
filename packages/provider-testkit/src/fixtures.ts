import type { PaymentAction, PaymentProvider } from '@tender/core';

/** The static side the conformance suite inspects: what `providers: [{ resolve }]` receives. */
export interface ConformanceProviderClass {
  readonly identifier: string;
  validateOptions(options: unknown): unknown;
  /** The request fields that carry a credential in the clear (see @tender/core's CredentialFields). */
  readonly credentialFields?: import('@tender/core').CredentialFields;
}

/** Builds the provider under test. Called lazily inside each test, so emulators started in beforeAll are up. */
export type ProviderFactory = () => PaymentProvider | Promise<PaymentProvider>;

/** An options object the provider must refuse, and the option name its error message must mention. */
export interface InvalidOptionsCase {
  options: unknown;
  /** Text the TenderError message must contain, usually the option's name (e.g. "secrets"). */
  mentions: string;
  /** Shown in the test title; defaults to `mentions`. */
  description?: string;
}

/** What the suite asks `signedWebhook` to describe. */
export interface ConformanceWebhookEvent {
  /** The action the webhook must turn into (one of `webhookActions`). */
  action: PaymentAction;
  session_id: string;
  /** Major units, decimal string, e.g. "10.50". */
  amount: string;
  currency_code: string;
  /** A fresh unique id: put it wherever your gateway puts its event id. */
  event_id: string;
}

/** A webhook request as it would reach the route. Header names may use any case. */
export interface ConformanceWebhook {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  query?: Record<string, string>;
}

export interface SignOptions {
  /** When set, sign with this secret instead of the one in the provider's options (the wrong-secret check). */
  secret?: string;
  /** When set, sign as of this unix time in seconds (the replay check); otherwise now. */
  timestamp?: number;
}

/** Checks a provider cannot meaningfully run may be skipped, with the reason shown in the test title. */
export interface ConformanceSkips {
  tamperedBody?: string;
  wrongSecret?: string;
  missingSignature?: string;
  refund?: string;
  cancel?: string;
  /** The "status denies an unpaid payment" check. */
  statusDeniesUnpaid?: string;
  /** The "a 0.00 webhook is refused" check. */
  zeroAmount?: string;
}

export interface ProviderConformanceFixtures {
  /** Title of the generated describe block; defaults to `<identifier> provider conformance`. */
  name?: string;
  /** The provider class, for its static `identifier` and `validateOptions`. */
  providerClass: ConformanceProviderClass;
  /** Options `validateOptions` must accept. */
  validOptions: unknown;
  /** Options `validateOptions` must reject (at least one: a schema that accepts anything is a defect). */
  invalidOptions: InvalidOptionsCase[];
  /**
   * Makes a webhook your gateway would send for `event`, signed the way your gateway signs it with the
   * secret the factory's provider is configured with (or with `sign.secret` when given).
   */
  signedWebhook(event: ConformanceWebhookEvent, sign: SignOptions): ConformanceWebhook | Promise<ConformanceWebhook>;
  /** Header names that carry the signature: the missing-signature check removes them. */
  signatureHeaders?: string[];
  /** Query parameters that carry the credential (GET callbacks): the missing-signature check removes them. */
  signatureQueryParams?: string[];
  /** A secret the provider is NOT configured with; defaults to a fixed 40-character string. */
  wrongSecret?: string;
  /**
   * For schemes with a signed timestamp: the age in seconds past which the provider refuses a delivery.
   * When set, the suite signs a webhook that much (plus a minute) in the past, via `sign.timestamp`, and
   * expects it to be rejected as a replay.
   */
  replayToleranceSeconds?: number;
  /** Actions `signedWebhook` can express; each gets a round-trip check. Defaults to ["captured"]. */
  webhookActions?: PaymentAction[];
  /**
   * A payment that stays unpaid at the gateway after initiatePayment (no sandbox card or phone that approves
   * at once), for the check that the gateway's status never calls it authorized. Defaults to `payment`.
   */
  unpaidPayment?: { amount?: string; currency_code?: string; data?: Record<string, unknown> };
  /**
   * For gateways where the customer acts between initiatePayment and authorizePayment (Stripe's client-side
   * confirmation): make the gateway (its emulator) hold the initiated payment as approved.
   */
  customerPays?: (initiated: { id: string; data?: Record<string, unknown> }) => unknown;
  /** The payment the operation checks initiate. Defaults to 10.50 EUR. */
  payment?: { amount?: string; currency_code?: string; data?: Record<string, unknown> };
  /**
   * Changes one byte of a delivery so that it is still well-formed but no longer what was signed.
   * Defaults to bumping the first digit of the body (it stays valid JSON/form data).
   */
  tamper?: (webhook: ConformanceWebhook) => ConformanceWebhook;
  /** Strips fields that legitimately differ between two identical calls (timestamps) before comparing. */
  normalizeResult?: (result: unknown) => unknown;
  skip?: ConformanceSkips;
}
