import type { HeaderValue } from '@tender/core';
import { acceptsAnything, isAcceptedMediaType, mediaType } from './content-type.js';
import { BodyTooLargeError, WebhookHttpError } from './http-errors.js';
import type { ResolvedOptions } from './options.js';
import type { RouteMatch, WebhookRoute } from './route.js';
import type { WebhookRequestHead } from './webhook-request.js';

/**
 * What a request must pass before the receiver sees it: route, method, size and media type,
 * judged from the head where possible so that a refused body is never read.
 */

const ALLOWED_METHODS = ['GET', 'POST'] as const;
const ALLOW_HEADER = ALLOWED_METHODS.join(', ');

/** The adapters' pre-read verdict: they must not read a body the handler would refuse anyway. */
export type Inspection = { kind: 'outside' } | { kind: 'reject'; error: WebhookHttpError } | Admitted;

/**
 * A head that passed: how much body the adapter may read, and what the checks found (the route and the
 * lower-cased headers), which `handler.receive` takes with the body instead of looking again.
 */
export interface Admitted {
  kind: 'read-body';
  bodyLimit: number;
  route: WebhookRoute;
  headers: Record<string, HeaderValue>;
}

export function lowerCaseHeaders(headers: Record<string, HeaderValue>): Record<string, HeaderValue> {
  const lowered: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) lowered[name.toLowerCase()] = value;
  }
  return lowered;
}

function headerText(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function declaredLength(headers: Record<string, HeaderValue>): number | undefined {
  const raw = headerText(headers['content-length']);
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

export function noWebhookRoute(): WebhookHttpError {
  return new WebhookHttpError(404, 'not_found', 'No webhook route at this path.');
}

function unsupportedMediaType(type: string | undefined, accepted: readonly string[]): WebhookHttpError {
  const shown = type === undefined ? 'none' : `"${type.slice(0, 100)}"`;
  return new WebhookHttpError(
    415,
    'unsupported_media_type',
    `Unsupported Content-Type ${shown} for a webhook POST; send one of: ${accepted.join(', ')}.`,
  );
}

/** `headers` are `head.headers` lower-cased and `route` is `head.path` matched: the caller has them already. */
export function checkHead(
  config: ResolvedOptions,
  head: WebhookRequestHead,
  headers: Record<string, HeaderValue>,
  route: RouteMatch,
): Inspection {
  if (route.kind === 'outside') return { kind: 'outside' };
  if (route.kind === 'invalid') return { kind: 'reject', error: noWebhookRoute() };
  const method = head.method.toUpperCase();
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    return {
      kind: 'reject',
      error: new WebhookHttpError(405, 'method_not_allowed', `Method ${method.slice(0, 20)} is not allowed; use GET or POST.`, {
        allow: ALLOW_HEADER,
      }),
    };
  }
  const length = declaredLength(headers);
  if (length !== undefined && length > config.bodyLimit)
    return { kind: 'reject', error: new BodyTooLargeError(config.bodyLimit) };
  if (method === 'POST' && !acceptsAnything(config.contentTypes)) {
    const type = mediaType(headers['content-type']);
    const bodyDeclared = (length !== undefined && length > 0) || headers['transfer-encoding'] !== undefined;
    if (type !== undefined ? !isAcceptedMediaType(type, config.contentTypes) : bodyDeclared) {
      return { kind: 'reject', error: unsupportedMediaType(type, config.contentTypes) };
    }
  }
  return { kind: 'read-body', bodyLimit: config.bodyLimit, route, headers };
}

/** What the head could not tell: a body over the limit, or one sent without a media type. */
export function checkBody(
  config: ResolvedOptions,
  method: string,
  headers: Record<string, HeaderValue>,
  rawBody: Buffer,
): WebhookHttpError | undefined {
  if (rawBody.length > config.bodyLimit) return new BodyTooLargeError(config.bodyLimit);
  if (
    method === 'POST' &&
    rawBody.length > 0 &&
    mediaType(headers['content-type']) === undefined &&
    !acceptsAnything(config.contentTypes)
  ) {
    return unsupportedMediaType(undefined, config.contentTypes);
  }
  return undefined;
}
