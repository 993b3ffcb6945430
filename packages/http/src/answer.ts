import type { WebhookReceipt } from '@tender/core';
import { describeError } from './error-status.js';
import type { ResolvedOptions, WebhookLogger, WebhookResult } from './options.js';
import { splitRequestTarget } from './query.js';
import { errorResponse, receiptResponse, type WebhookHttpResponse } from './responses.js';
import type { RouteMatch } from './route.js';
import type { WebhookRequestHead } from './webhook-request.js';

/** What answering a request needs from its handler; built once per handler, never per request. */
export interface AnswerContext {
  readonly config: ResolvedOptions;
  readonly receiverLogger: WebhookLogger | undefined;
}

/** `error` is only passed for server faults: their response hides it, so the log must not. */
function report(context: AnswerContext, result: WebhookResult, error?: unknown, seenByReceiver = true): void {
  const { logger, onResult } = context.config;
  const log = logger ?? (seenByReceiver ? undefined : context.receiverLogger);
  if (log) {
    const { status } = result;
    if (status >= 500) log.error({ ...result, err: error }, 'webhook failed');
    else if (status >= 400) log.warn(result, 'webhook rejected');
    else log.info(result, 'webhook received');
  }
  if (!onResult) return;
  // A metrics hook must never change the answer the provider gets.
  const onHookError = (hookError: unknown) => logger?.error({ err: hookError }, 'webhook onResult hook threw');
  try {
    Promise.resolve(onResult(result)).catch(onHookError);
  } catch (hookError) {
    onHookError(hookError);
  }
}

function baseResult(head: WebhookRequestHead, route: RouteMatch, status: number, startedAt: number): WebhookResult {
  return {
    status,
    method: head.method.toUpperCase(),
    // Never the query: some providers put a shared key there (ifthenpay's anti-phishing key).
    path: splitRequestTarget(head.path).path,
    ...(route.kind === 'webhook' ? { provider: route.provider, tenant: route.tenant } : {}),
    latency_ms: performance.now() - startedAt,
  };
}

/** `seen`: the receiver was called, so it has logged the failure itself. */
export function answerFailure(
  context: AnswerContext,
  head: WebhookRequestHead,
  route: RouteMatch,
  error: unknown,
  startedAt: number,
  seen = false,
): WebhookHttpResponse {
  const disposition = describeError(error);
  report(
    context,
    {
      ...baseResult(head, route, disposition.status, startedAt),
      error_type: disposition.type,
      error_message: disposition.message,
    },
    disposition.serverFault ? error : undefined,
    seen,
  );
  return errorResponse(disposition.status, disposition.type, disposition.message, disposition.headers);
}

export function answerReceipt(
  context: AnswerContext,
  head: WebhookRequestHead,
  route: RouteMatch,
  receipt: WebhookReceipt,
  startedAt: number,
): WebhookHttpResponse {
  report(context, {
    ...baseResult(head, route, 200, startedAt),
    outcome: receipt.outcome,
    event_id: receipt.event_id,
    webhook_event_id: receipt.webhook_event_id,
    action: receipt.action,
  });
  return receiptResponse(receipt);
}
