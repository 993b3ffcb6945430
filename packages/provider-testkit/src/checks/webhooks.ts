import { randomUUID } from 'node:crypto';
import { compareAmounts, type PaymentAction, type PaymentProvider, type WebhookActionAndData } from '@tender/core';
import { ConformanceFailure, conformanceAssert, describeError, isTenderError } from '../conformance-failure.js';
import type { ConformanceWebhook, ConformanceWebhookEvent, ProviderConformanceFixtures } from '../fixtures.js';
import { bumpFirstDigit, toProviderPayload, withoutCredentials } from '../webhook-request.js';

export const DEFAULT_WRONG_SECRET = 'conformance-wrong-secret-0123456789abcdef';

/** Major units as a plain decimal string: no exponent, no sign, no thousands separator. */
const DECIMAL_STRING = /^\d+(\.\d+)?$/;

export function newConformanceEvent(action: PaymentAction, payment: { amount?: string; currency_code?: string } = {}) {
  return {
    action,
    session_id: `conformance_session_${randomUUID()}`,
    amount: payment.amount ?? '10.50',
    currency_code: payment.currency_code ?? 'EUR',
    event_id: `conformance_evt_${randomUUID()}`,
  } satisfies ConformanceWebhookEvent;
}

async function parse(provider: PaymentProvider, webhook: ConformanceWebhook, label: string): Promise<WebhookActionAndData> {
  try {
    return await provider.getWebhookActionAndData(toProviderPayload(webhook));
  } catch (error) {
    throw new ConformanceFailure(`getWebhookActionAndData rejected ${label}: ${describeError(error)}`, { cause: error });
  }
}

/** The action the rejection checks sign: the first one that carries a payment. */
export function primaryAction(fixtures: ProviderConformanceFixtures): PaymentAction {
  return (fixtures.webhookActions ?? ['captured']).find((action) => action !== 'not_supported') ?? 'captured';
}

/** A signed webhook for `event` becomes `event.action`, with an event id and the amount as a decimal string. */
export async function checkWebhookRoundTrip(
  provider: PaymentProvider,
  fixtures: ProviderConformanceFixtures,
  event: ConformanceWebhookEvent,
): Promise<WebhookActionAndData> {
  const webhook = await fixtures.signedWebhook(event, {});
  const result = await parse(provider, webhook, `a correctly signed "${event.action}" webhook`);
  conformanceAssert(result.action === event.action, `A "${event.action}" webhook was read as action "${result.action}".`);
  conformanceAssert(
    typeof result.event_id === 'string' && result.event_id.length > 0,
    `getWebhookActionAndData must return event_id (the gateway's id for the event): the inbox deduplicates on it. Got ${JSON.stringify(result.event_id)}.`,
  );
  if (event.action === 'not_supported') return result;
  const data = result.data;
  conformanceAssert(data, `A "${event.action}" webhook must return data { session_id, amount, currency_code }.`);
  conformanceAssert(
    data.session_id === event.session_id,
    `data.session_id must be the Tender session id "${event.session_id}", got ${JSON.stringify(data.session_id)}.`,
  );
  conformanceAssert(
    typeof data.amount === 'string' && DECIMAL_STRING.test(data.amount),
    `data.amount must be major units as a decimal string such as "10.50", got ${JSON.stringify(data.amount)} (${typeof data.amount}).`,
  );
  conformanceAssert(
    compareAmounts(data.amount, event.amount) === 0,
    `data.amount must equal the webhook's amount ${event.amount} ${event.currency_code} in major units, got "${data.amount}" (minor units not converted?).`,
  );
  return result;
}

/** The same delivery read twice names the same event; two different events never share an id. */
export async function checkEventIds(provider: PaymentProvider, fixtures: ProviderConformanceFixtures, action: PaymentAction) {
  const first = newConformanceEvent(action, fixtures.payment);
  const second = { ...newConformanceEvent(action, fixtures.payment), session_id: first.session_id };
  const webhook = await fixtures.signedWebhook(first, {});
  const once = await parse(provider, webhook, 'a signed webhook');
  const again = await parse(provider, webhook, 'the same signed webhook, delivered again');
  const other = await parse(provider, await fixtures.signedWebhook(second, {}), 'a second signed webhook');
  conformanceAssert(
    typeof once.event_id === 'string' && once.event_id === again.event_id,
    `A redelivered webhook must keep its event_id (got ${JSON.stringify(once.event_id)} then ${JSON.stringify(again.event_id)}): otherwise the inbox applies it twice.`,
  );
  conformanceAssert(
    once.event_id !== other.event_id,
    `Two different events got the same event_id ${JSON.stringify(once.event_id)}: the inbox would drop the second one.`,
  );
}

/** The provider must throw TenderError('unauthorized', …) for `webhook`. */
export async function checkRejected(provider: PaymentProvider, webhook: ConformanceWebhook, what: string): Promise<void> {
  let error: unknown;
  let result: WebhookActionAndData | undefined;
  try {
    result = await provider.getWebhookActionAndData(toProviderPayload(webhook));
  } catch (caught) {
    error = caught;
  }
  conformanceAssert(
    error !== undefined,
    `getWebhookActionAndData accepted ${what} (returned ${JSON.stringify(result)}): verify the signature over payload.rawData.`,
  );
  conformanceAssert(
    isTenderError(error, 'unauthorized'),
    `getWebhookActionAndData must reject ${what} with TenderError('unauthorized', …) so the route answers 401, got ${describeError(error)}.`,
  );
}

export async function checkRejectsTamperedBody(provider: PaymentProvider, fixtures: ProviderConformanceFixtures) {
  const webhook = await fixtures.signedWebhook(newConformanceEvent(primaryAction(fixtures), fixtures.payment), {});
  const tampered = (fixtures.tamper ?? bumpFirstDigit)(webhook);
  conformanceAssert(
    !tampered.rawBody.equals(webhook.rawBody) || JSON.stringify(tampered.query) !== JSON.stringify(webhook.query),
    'fixtures.tamper returned the webhook unchanged.',
  );
  await checkRejected(provider, tampered, 'a webhook whose body was changed after signing');
}

export async function checkRejectsWrongSecret(provider: PaymentProvider, fixtures: ProviderConformanceFixtures) {
  const secret = fixtures.wrongSecret ?? DEFAULT_WRONG_SECRET;
  const webhook = await fixtures.signedWebhook(newConformanceEvent(primaryAction(fixtures), fixtures.payment), { secret });
  await checkRejected(provider, webhook, 'a webhook signed with a secret the provider is not configured with');
}

export async function checkRejectsMissingSignature(provider: PaymentProvider, fixtures: ProviderConformanceFixtures) {
  const headers = fixtures.signatureHeaders ?? [];
  const query = fixtures.signatureQueryParams ?? [];
  conformanceAssert(
    headers.length + query.length > 0,
    'Name the header(s) carrying the signature in fixtures.signatureHeaders (or fixtures.signatureQueryParams).',
  );
  const webhook = await fixtures.signedWebhook(newConformanceEvent(primaryAction(fixtures), fixtures.payment), {});
  const stripped = withoutCredentials(webhook, headers, query);
  await checkRejected(provider, stripped, `a webhook without its ${[...headers, ...query].join(' / ')}`);
}

export async function checkRejectsReplay(provider: PaymentProvider, fixtures: ProviderConformanceFixtures) {
  const tolerance = fixtures.replayToleranceSeconds;
  conformanceAssert(tolerance !== undefined, 'Set fixtures.replayToleranceSeconds to run the replay check.');
  const timestamp = Math.floor(Date.now() / 1000) - tolerance - 60;
  const webhook = await fixtures.signedWebhook(newConformanceEvent(primaryAction(fixtures), fixtures.payment), { timestamp });
  await checkRejected(
    provider,
    webhook,
    `a webhook signed ${tolerance + 60}s ago (a replay; does fixtures.signedWebhook honour sign.timestamp?)`,
  );
}
