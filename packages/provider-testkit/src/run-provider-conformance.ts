import { describe, it } from '@jest/globals';
import { checkProviderClass, checkProviderInterface } from './checks/interface.js';
import { authorize, cancel, capture, initiate, newConformancePayment, refund } from './checks/operations.js';
import { checkAcceptsValidOptions, checkRejectsInvalidOptions } from './checks/options.js';
import { checkDeclaresCredentialFields, checkRefusesZeroAmount, checkStatusDeniesUnpaid } from './checks/trust.js';
import {
  checkEventIds,
  checkRejectsMissingSignature,
  checkRejectsReplay,
  checkRejectsTamperedBody,
  checkRejectsWrongSecret,
  checkWebhookRoundTrip,
  newConformanceEvent,
  primaryAction,
} from './checks/webhooks.js';
import { ConformanceFailure } from './conformance-failure.js';
import type { ConformanceSkips, ProviderConformanceFixtures, ProviderFactory } from './fixtures.js';

/**
 * Registers the provider conformance suite in the caller's jest run:
 *
 *   runProviderConformance(() => new MyProvider({}, MyProvider.validateOptions(options)), fixtures);
 *
 * Call it at the top level of a test file (or inside a describe). Every check is its own test, so a
 * failure names exactly what to fix.
 */
export function runProviderConformance(factory: ProviderFactory, fixtures: ProviderConformanceFixtures): void {
  const title = fixtures.name ?? `${String(fixtures.providerClass.identifier)} provider conformance`;
  describe(title, () => {
    describeInterface(factory, fixtures);
    describeOptions(fixtures);
    describePaymentOperations(factory, fixtures);
    describeWebhookTrust(factory, fixtures);
    describeWebhooks(factory, fixtures);
  });
}

/**
 * A check the fixtures may skip is still registered, as a skipped test with the reason in its title, so the
 * report shows what was not verified and why.
 */
function itUnlessSkipped(
  fixtures: ProviderConformanceFixtures,
  check: keyof ConformanceSkips,
  name: string,
  test: () => Promise<void>,
): void {
  const reason = fixtures.skip?.[check];
  if (reason) it.skip(`${name} (skipped: ${reason})`, () => {});
  else it(name, test);
}

function describeInterface(factory: ProviderFactory, { providerClass }: ProviderConformanceFixtures): void {
  describe('interface', () => {
    it('declares a static identifier and validateOptions', () => {
      checkProviderClass(providerClass);
    });
    it('implements every PaymentProvider method', async () => {
      checkProviderInterface(await factory());
    });
  });
}

function describeOptions(fixtures: ProviderConformanceFixtures): void {
  const { providerClass } = fixtures;
  describe('options', () => {
    it('accepts fixtures.validOptions', () => {
      checkAcceptsValidOptions(providerClass, fixtures.validOptions);
    });
    it('is given at least one invalid options case', () => {
      if (fixtures.invalidOptions.length === 0) {
        throw new ConformanceFailure('Add at least one entry to fixtures.invalidOptions (e.g. the options without a secret).');
      }
    });
    for (const invalid of fixtures.invalidOptions) {
      it(`rejects invalid options naming "${invalid.description ?? invalid.mentions}"`, () => {
        checkRejectsInvalidOptions(providerClass, invalid);
      });
    }
  });
}

function describePaymentOperations(factory: ProviderFactory, fixtures: ProviderConformanceFixtures): void {
  const normalize = fixtures.normalizeResult;
  const payment = () => newConformancePayment(fixtures.providerClass.identifier, fixtures.payment);
  describe('payment operations', () => {
    it('initiatePayment returns the gateway payment id and JSON data', async () => {
      await initiate(await factory(), payment());
    });
    it('authorizePayment is idempotent', async () => {
      await authorize(await factory(), payment(), normalize, fixtures.customerPays);
    });
    it('capturePayment is idempotent', async () => {
      await capture(await factory(), payment(), normalize, fixtures.customerPays);
    });
    itUnlessSkipped(fixtures, 'refund', 'refundPayment is idempotent', async () => {
      await refund(await factory(), payment(), normalize, fixtures.customerPays);
    });
    itUnlessSkipped(fixtures, 'cancel', 'cancelPayment is idempotent', async () => {
      await cancel(await factory(), payment(), normalize);
    });
  });
}

function describeWebhookTrust(factory: ProviderFactory, fixtures: ProviderConformanceFixtures): void {
  const { providerClass } = fixtures;
  describe('webhook trust', () => {
    it('declares the request fields that carry a credential (credentialFields)', () => {
      checkDeclaresCredentialFields(providerClass, fixtures);
    });
    itUnlessSkipped(
      fixtures,
      'statusDeniesUnpaid',
      'never reports an unpaid payment as authorized when it can ask its gateway',
      async () => {
        await checkStatusDeniesUnpaid(
          await factory(),
          newConformancePayment(providerClass.identifier, fixtures.unpaidPayment ?? fixtures.payment),
        );
      },
    );
    itUnlessSkipped(fixtures, 'zeroAmount', 'refuses a webhook that reports 0.00 (invalid_data)', async () => {
      await checkRefusesZeroAmount(await factory(), fixtures);
    });
  });
}

function describeWebhooks(factory: ProviderFactory, fixtures: ProviderConformanceFixtures): void {
  describe('webhooks', () => {
    for (const action of fixtures.webhookActions ?? ['captured']) {
      const expectation =
        action === 'not_supported' ? 'as not_supported, with its event id' : 'with its event id and a decimal-string amount';
      it(`reads a signed "${action}" webhook ${expectation}`, async () => {
        await checkWebhookRoundTrip(await factory(), fixtures, newConformanceEvent(action, fixtures.payment));
      });
    }
    it('keeps the event id of a redelivery and gives different events different ids', async () => {
      await checkEventIds(await factory(), fixtures, primaryAction(fixtures));
    });
    itUnlessSkipped(fixtures, 'tamperedBody', 'rejects a body changed after signing (unauthorized)', async () => {
      await checkRejectsTamperedBody(await factory(), fixtures);
    });
    itUnlessSkipped(fixtures, 'wrongSecret', 'rejects a webhook signed with the wrong secret (unauthorized)', async () => {
      await checkRejectsWrongSecret(await factory(), fixtures);
    });
    if (fixtures.replayToleranceSeconds !== undefined) {
      it(`rejects a delivery signed more than ${fixtures.replayToleranceSeconds}s ago (unauthorized)`, async () => {
        await checkRejectsReplay(await factory(), fixtures);
      });
    }
    itUnlessSkipped(fixtures, 'missingSignature', 'rejects a webhook without its signature (unauthorized)', async () => {
      await checkRejectsMissingSignature(await factory(), fixtures);
    });
  });
}
