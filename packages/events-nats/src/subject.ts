/** Characters NATS gives meaning to in a subject token (separator, wildcards, whitespace). */
const RESERVED = /[.*>\s%]/g;

/** A tenant id as one subject token: reserved characters percent-encoded, so no tenant can widen a subject. */
export function subjectToken(value: string): string {
  return value.replace(RESERVED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `<prefix>.<tenant>.<event name>`: the event name keeps its dots, so `tender.*.payment.>` selects payment events. */
export function eventSubject(prefix: string, tenant: string, eventName: string): string {
  return `${prefix}.${subjectToken(tenant)}.${eventName}`;
}
