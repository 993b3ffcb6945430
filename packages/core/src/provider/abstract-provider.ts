import type { z } from 'zod';
import { TenderError } from '../errors.js';
import type { CredentialFields } from './credential-fields.js';
import type {
  AuthorizePaymentOutput,
  CapturePaymentInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  PaymentDataInput,
  PaymentDataOutput,
  PaymentProvider,
  ProviderData,
  ProviderWebhookPayload,
  RefundPaymentInput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionAndData,
} from './types.js';

/** Services the module hands every provider: never the ORM. */
export interface ProviderDependencies {
  logger?: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
  /** Fetch-compatible function; providers that call HTTP APIs use it so hosts and tests can route it. */
  fetch?: typeof fetch;
}

/** The static side of a provider class: what `providers: [{ resolve }]` expects. */
export interface PaymentProviderClass<Options = unknown> {
  new (dependencies: ProviderDependencies, options: Options): PaymentProvider;
  /** Provider family, e.g. "stripe": the registry id is `pp_{identifier}_{id}`. */
  readonly identifier: string;
  /** Query parameters and headers that carry a credential: dropped before the inbox stores a request. */
  readonly credentialFields?: CredentialFields;
  /** Parses and validates options, throwing a TenderError that names the bad option. */
  validateOptions(options: unknown): Options;
}

/**
 * Base class for providers. Subclasses declare `static identifier` and `static optionsSchema`
 * (a zod schema) and implement the abstract methods; options arrive already validated.
 */
export abstract class AbstractPaymentProvider<Options = Record<string, unknown>> implements PaymentProvider {
  static identifier: string;
  static optionsSchema?: z.ZodType;
  /**
   * The request fields your gateway uses to send a credential verbatim (see `CredentialFields`). Declare
   * `{}` when it sends none: signatures are not credentials.
   */
  static credentialFields?: CredentialFields;

  protected readonly options: Options;
  protected readonly dependencies: ProviderDependencies;

  constructor(dependencies: ProviderDependencies, options: Options) {
    this.dependencies = dependencies;
    this.options = options;
  }

  static validateOptions(this: { identifier: string; optionsSchema?: z.ZodType }, options: unknown): unknown {
    if (!this.optionsSchema) return options ?? {};
    const result = this.optionsSchema.safeParse(options ?? {});
    if (result.success) return result.data;
    const problems = result.error.issues
      .map((issue) => `${issue.path.length ? issue.path.join('.') : '(options)'}: ${issue.message}`)
      .join('; ');
    throw new TenderError('invalid_data', `Invalid options for payment provider "${this.identifier}": ${problems}`, {
      details: { provider: this.identifier, issues: result.error.issues.map((i) => ({ path: i.path, message: i.message })) },
    });
  }

  abstract initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput>;
  abstract authorizePayment(input: PaymentDataInput): Promise<AuthorizePaymentOutput>;
  abstract capturePayment(input: CapturePaymentInput): Promise<PaymentDataOutput>;
  abstract refundPayment(input: RefundPaymentInput): Promise<PaymentDataOutput>;
  abstract cancelPayment(input: PaymentDataInput): Promise<PaymentDataOutput>;
  abstract getPaymentStatus(input: PaymentDataInput): Promise<GetPaymentStatusOutput>;
  abstract getWebhookActionAndData(payload: ProviderWebhookPayload): Promise<WebhookActionAndData>;

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    return { data: input.data };
  }

  async deletePayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    return this.cancelPayment(input);
  }

  async retrievePayment(input: PaymentDataInput): Promise<PaymentDataOutput> {
    return { data: input.data };
  }

  /** A gateway with a status API: its answer, not the webhook, decides. Override where there is none. */
  canAskStatus(_data: ProviderData): boolean {
    return true;
  }
}
