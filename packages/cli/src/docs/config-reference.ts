import { easypayProviderOptions } from '@tender/provider-easypay';
import { hmacProviderOptions } from '@tender/provider-hmac';
import { ifthenpayProviderOptions } from '@tender/provider-ifthenpay';
import { stripeOptionsSchema } from '@tender/provider-stripe';
import { systemProviderOptions } from '@tender/provider-system';
import { type ZodType, z } from 'zod';

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  required?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
}

/** The providers whose options the reference lists, with the schema each validates its options with. */
export const PROVIDER_SCHEMAS: { title: string; packageName: string; className: string; schema: ZodType }[] = [
  { title: 'System', packageName: '@tender/provider-system', className: 'SystemPaymentProvider', schema: systemProviderOptions },
  {
    title: 'Stripe (every variant)',
    packageName: '@tender/provider-stripe',
    className: 'StripeProvider',
    schema: stripeOptionsSchema,
  },
  { title: 'HMAC gateway', packageName: '@tender/provider-hmac', className: 'HmacPaymentProvider', schema: hmacProviderOptions },
  {
    title: 'Easypay',
    packageName: '@tender/provider-easypay',
    className: 'EasypayPaymentProvider',
    schema: easypayProviderOptions,
  },
  {
    title: 'Ifthenpay',
    packageName: '@tender/provider-ifthenpay',
    className: 'IfthenpayPaymentProvider',
    schema: ifthenpayProviderOptions,
  },
];

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function describeType(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map(describeType).join(' or ');
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.type === 'array') return `${s.items ? describeType(s.items) : 'value'}[]${s.minItems ? ` (at least ${s.minItems})` : ''}`;
  if (s.type === 'object' && s.additionalProperties) return `object of name → ${describeType(s.additionalProperties)}`;
  if (s.type === 'integer' || s.type === 'number') {
    const low = s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : s.minimum !== undefined ? `≥ ${s.minimum}` : '';
    const high = s.maximum !== undefined && s.maximum < MAX_SAFE ? `≤ ${s.maximum}` : '';
    const range = [low, high].filter(Boolean).join(', ');
    return `${s.type}${range ? ` (${range})` : ''}`;
  }
  if (s.type === 'string') {
    if (s.format === 'uri') return 'URL';
    return s.minLength && s.minLength > 1 ? `string (≥ ${s.minLength} characters)` : 'string';
  }
  return s.type ?? 'any';
}

function rows(schema: JsonSchema, prefix = ''): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    if (property.type === 'object' && property.properties) {
      const note = property.default === undefined ? 'optional object' : 'object';
      return [`| \`${path}\` | ${note} | ${required.has(name) ? 'required' : '—'} |`, ...rows(property, `${path}.`)];
    }
    const presence = required.has(name)
      ? 'required'
      : property.default !== undefined
        ? `\`${JSON.stringify(property.default)}\``
        : 'optional';
    return [`| \`${path}\` | ${describeType(property)} | ${presence} |`];
  });
}

/**
 * The provider options reference of the root README, generated from the zod schemas the providers
 * validate their options with, so the README cannot drift from the code (a test compares them).
 */
export function renderProviderOptionsReference(): string {
  return PROVIDER_SCHEMAS.map(({ title, packageName, className, schema }) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    return [
      `#### ${title}: \`${className}\` (\`${packageName}\`)`,
      '',
      '| option | type | default |',
      '| --- | --- | --- |',
      ...rows(json),
    ].join('\n');
  }).join('\n\n');
}
