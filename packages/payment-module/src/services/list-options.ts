import { TenderError } from '@tender/core';

/** Medusa's `FindConfig`: what a retrieve or list returns, and which page of it. */
export interface FindConfig<Relation extends string = string> {
  select?: string[];
  relations?: Relation[];
  skip?: number;
  take?: number;
  order?: Record<string, 'ASC' | 'DESC' | 'asc' | 'desc'>;
}

/** What one entity accepts: the DTO fields `select` may name, its filters, sort keys and relations. */
export interface EntityShape<Relation extends string = string> {
  /** How errors name the entity ("payment collection"). */
  name: string;
  fields: readonly string[];
  filters: readonly string[];
  sortable: readonly string[];
  relations: readonly Relation[];
  /** DTO names whose entity property differs (`payment_collection_id` → `payment_collection`). */
  properties?: Record<string, string>;
}

function joinNames(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * Refuses keys of `input` outside `allowed`, naming them: an unsupported field must fail, not be ignored
 * (an update that silently changes nothing looks like one that worked).
 */
export function assertKnownKeys(input: object | undefined, allowed: readonly string[], what: string): void {
  if (input === undefined || input === null) return;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new TenderError('invalid_data', `${what} must be an object.`);
  }
  const unknown = Object.keys(input).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new TenderError('invalid_data', `Unsupported ${what}: ${joinNames(unknown)} (supported: ${joinNames([...allowed])}).`, {
      details: { unsupported: unknown },
    });
  }
}

function assertCount(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TenderError('invalid_data', `${name} must be a non-negative integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** A list's checked config: every name known, the page bounded, the order defaulting to oldest first. */
export interface CheckedConfig<Relation extends string> {
  select?: string[];
  relations: Set<Relation>;
  skip: number;
  /** Undefined: every row, as Medusa's module lists when no `take` is given. */
  take: number | undefined;
  order: [string, 'asc' | 'desc'][];
}

/** Checks `config` against the entity's shape; an unknown select, relation or sort key is `invalid_data`. */
export function checkConfig<Relation extends string>(
  shape: EntityShape<Relation>,
  config: FindConfig<Relation> = {},
): CheckedConfig<Relation> {
  assertKnownKeys(config, ['select', 'relations', 'skip', 'take', 'order'], `${shape.name} option`);
  const relations = config.relations ?? [];
  assertKnownKeys(Object.fromEntries(relations.map((r) => [r, true])), shape.relations, `${shape.name} relation`);
  if (config.select) {
    const allowed = [...shape.fields, ...shape.relations.filter((r) => !r.includes('.'))];
    assertKnownKeys(Object.fromEntries(config.select.map((s) => [s, true])), allowed, `${shape.name} select field`);
  }
  assertKnownKeys(config.order, shape.sortable, `${shape.name} sort key`);
  const order = Object.entries(config.order ?? {}).map(([key, direction]): [string, 'asc' | 'desc'] => {
    const lower = String(direction).toLowerCase();
    if (lower !== 'asc' && lower !== 'desc') {
      throw new TenderError('invalid_data', `Sort direction of "${key}" must be ASC or DESC, got ${JSON.stringify(direction)}.`);
    }
    return [key, lower];
  });
  return {
    select: config.select,
    relations: new Set(relations),
    skip: assertCount(config.skip, 'skip') ?? 0,
    take: assertCount(config.take, 'take'),
    order: order.length > 0 ? order : [['created_at', 'asc']],
  };
}

/** The page of `rows` a checked config asks for, for lists held in memory. */
export function pageOf<T>(rows: T[], config: CheckedConfig<string>): T[] {
  return rows.slice(config.skip, config.take === undefined ? undefined : config.skip + config.take);
}

/** Checks a filter object's keys against the entity's filters. */
export function checkFilters(shape: EntityShape, filters: object | undefined): void {
  assertKnownKeys(filters, shape.filters, `${shape.name} filter`);
}

/** A filter value as a MikroORM condition: a list means any of them. */
export function condition(value: unknown): unknown {
  return Array.isArray(value) ? { $in: value } : value;
}

/** The MikroORM `where` of checked filters, on top of `base` (`{ deleted_at: null }`, say). */
export function whereOf(shape: EntityShape, filters: object = {}, base: Record<string, unknown> = {}): Record<string, unknown> {
  const where: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined) where[shape.properties?.[key] ?? key] = condition(value);
  }
  return where;
}

/** The MikroORM `orderBy` of a checked config, with the id breaking ties so pages never overlap. */
export function orderBy(config: CheckedConfig<string>, shape?: EntityShape): Record<string, 'asc' | 'desc'>[] {
  const order = config.order.map(([key, direction]) => ({ [shape?.properties?.[key] ?? key]: direction }));
  if (!config.order.some(([key]) => key === 'id')) order.push({ id: config.order[0]![1] });
  return order;
}

/** The DTO narrowed to `select` (with its id, and the relations asked for), as Medusa returns it. */
export function applySelect<T extends object>(dto: T, config: CheckedConfig<string>): T {
  if (!config.select) return dto;
  const keep = new Set(['id', ...config.select, ...[...config.relations].map((r) => r.split('.')[0]!)]);
  return Object.fromEntries(Object.entries(dto).filter(([key]) => keep.has(key))) as T;
}
