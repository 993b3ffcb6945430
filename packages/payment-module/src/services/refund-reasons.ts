import { TenderError } from '@tender/core';
import { generateId, IdPrefix } from '../ids.js';
import { RefundReason } from '../models/index.js';
import type { ServiceContext } from './context.js';
import {
  applySelect,
  assertKnownKeys,
  checkConfig,
  checkFilters,
  type EntityShape,
  type FindConfig,
  orderBy,
  whereOf,
} from './list-options.js';

export interface RefundReasonDTO {
  id: string;
  code: string;
  label: string;
  description: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface CreateRefundReasonInput {
  code: string;
  label: string;
  description?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface UpdateRefundReasonInput extends Partial<CreateRefundReasonInput> {
  id: string;
}

export interface ListRefundReasonsFilter {
  id?: string | string[];
  code?: string | string[];
}

export const REFUND_REASON_SHAPE: EntityShape<never> = {
  name: 'refund reason',
  fields: ['id', 'code', 'label', 'description', 'metadata', 'created_at', 'updated_at', 'deleted_at'],
  filters: ['id', 'code'],
  sortable: ['id', 'code', 'label', 'created_at', 'updated_at'],
  relations: [],
};

const FIELDS = ['code', 'label', 'description', 'metadata'];

function toDTO(r: RefundReason): RefundReasonDTO {
  return {
    id: r.id,
    code: r.code,
    label: r.label,
    description: r.description ?? null,
    metadata: r.metadata ?? null,
    created_at: r.created_at,
    updated_at: r.updated_at,
    deleted_at: r.deleted_at ?? null,
  };
}

function requiredText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TenderError('invalid_data', `A refund reason needs a ${name} (a non-empty string).`);
  }
  return value;
}

/** Refund reasons: created, updated, soft-deleted and restored in bulk, as Medusa's module does. */
export class RefundReasons {
  constructor(private readonly ctx: ServiceContext) {}

  async create(inputs: CreateRefundReasonInput[]): Promise<RefundReasonDTO[]> {
    for (const input of inputs) {
      assertKnownKeys(input, FIELDS, 'refund reason field');
      requiredText(input.code, 'code');
      requiredText(input.label, 'label');
    }
    const em = this.ctx.orm.em.fork();
    const reasons = inputs.map((input) =>
      em.create(RefundReason, {
        id: generateId(IdPrefix.refundReason),
        code: input.code,
        label: input.label,
        description: input.description ?? null,
        metadata: input.metadata ?? null,
      }),
    );
    await em.flush();
    return reasons.map(toDTO);
  }

  async update(inputs: UpdateRefundReasonInput[]): Promise<RefundReasonDTO[]> {
    for (const input of inputs) {
      assertKnownKeys(input, ['id', ...FIELDS], 'refund reason field');
      if (input.code !== undefined) requiredText(input.code, 'code');
      if (input.label !== undefined) requiredText(input.label, 'label');
    }
    return this.ctx.orm.em.fork().transactional(async (em) => {
      const updated: RefundReason[] = [];
      for (const { id, ...fields } of inputs) {
        const reason = await em.findOne(RefundReason, { id, deleted_at: null });
        if (!reason) throw new TenderError('not_found', `Refund reason ${id} was not found.`);
        em.assign(reason, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
        updated.push(reason);
      }
      await em.flush();
      return updated.map(toDTO);
    });
  }

  async list(filter: ListRefundReasonsFilter = {}, config: FindConfig<never> = {}): Promise<RefundReasonDTO[]> {
    checkFilters(REFUND_REASON_SHAPE, filter);
    const checked = checkConfig(REFUND_REASON_SHAPE, { order: { code: 'ASC' }, ...config });
    const rows = await this.ctx.orm.em.fork().find(RefundReason, whereOf(REFUND_REASON_SHAPE, filter, { deleted_at: null }), {
      orderBy: orderBy(checked),
      limit: checked.take,
      offset: checked.skip,
    });
    return rows.map((r) => applySelect(toDTO(r), checked));
  }

  /** Removes reasons for good; refunds that gave one keep their amount and lose the reference (on delete set null). */
  async delete(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.ctx.orm.em.fork().nativeDelete(RefundReason, { id: { $in: ids } });
  }

  async softDelete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ctx.orm.em.fork().nativeUpdate(RefundReason, { id: { $in: ids }, deleted_at: null }, { deleted_at: new Date() });
  }

  /** Brings soft-deleted reasons back; a code taken meanwhile by a new reason is a `conflict`. */
  async restore(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ctx.orm.em.fork().nativeUpdate(RefundReason, { id: { $in: ids } }, { deleted_at: null });
  }
}
