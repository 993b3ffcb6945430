import { addAmounts, normalizeAmount } from '@tender/core';
import type { Capture, Payment, PaymentCollection, PaymentSession, Refund } from '../models/index.js';

export interface PaymentCollectionDTO {
  id: string;
  tenant: string;
  currency_code: string;
  amount: string;
  authorized_amount: string;
  captured_amount: string;
  refunded_amount: string;
  status: string;
  completed_at: Date | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  payment_sessions?: PaymentSessionDTO[];
  payments?: PaymentDTO[];
}

export interface PaymentSessionDTO {
  id: string;
  tenant: string;
  payment_collection_id: string;
  provider_id: string;
  currency_code: string;
  amount: string;
  status: string;
  data: Record<string, unknown>;
  context: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  authorized_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface CaptureDTO {
  id: string;
  payment_id: string;
  amount: string;
  status: string;
  source: string;
  created_by: string | null;
  created_at: Date;
}

export interface RefundDTO extends CaptureDTO {
  refund_reason_id: string | null;
  note: string | null;
}

export interface PaymentDTO {
  id: string;
  tenant: string;
  payment_collection_id: string;
  payment_session_id: string;
  provider_id: string;
  currency_code: string;
  amount: string;
  captured_amount: string;
  refunded_amount: string;
  data: Record<string, unknown>;
  captured_at: Date | null;
  canceled_at: Date | null;
  created_at: Date;
  captures: CaptureDTO[];
  refunds: RefundDTO[];
}

// Amounts come back from NUMERIC(20,6) padded ("10.500000"); callers get the canonical form.

export function toCollectionDTO(c: PaymentCollection): PaymentCollectionDTO {
  return {
    id: c.id,
    tenant: c.tenant,
    currency_code: c.currency_code,
    amount: normalizeAmount(c.amount),
    authorized_amount: normalizeAmount(c.authorized_amount),
    captured_amount: normalizeAmount(c.captured_amount),
    refunded_amount: normalizeAmount(c.refunded_amount),
    status: c.status,
    completed_at: c.completed_at ?? null,
    metadata: c.metadata ?? null,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function toSessionDTO(s: PaymentSession): PaymentSessionDTO {
  return {
    id: s.id,
    tenant: s.tenant,
    payment_collection_id: s.payment_collection,
    provider_id: s.provider_id,
    currency_code: s.currency_code,
    amount: normalizeAmount(s.amount),
    status: s.status,
    data: s.data,
    context: s.context ?? null,
    metadata: s.metadata ?? null,
    authorized_at: s.authorized_at ?? null,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export function toCaptureDTO(c: Capture): CaptureDTO {
  return {
    id: c.id,
    payment_id: c.payment,
    amount: normalizeAmount(c.amount),
    status: c.status,
    source: c.source,
    created_by: c.created_by ?? null,
    created_at: c.created_at,
  };
}

export function toRefundDTO(r: Refund): RefundDTO {
  return {
    ...toCaptureDTO(r as unknown as Capture),
    refund_reason_id: r.refund_reason ?? null,
    note: r.note ?? null,
  };
}

export function toPaymentDTO(p: Payment, captures: Capture[], refunds: Refund[]): PaymentDTO {
  const succeeded = <T extends { status: string; amount: string }>(rows: T[]) => rows.filter((r) => r.status === 'succeeded');
  return {
    id: p.id,
    tenant: p.tenant,
    payment_collection_id: p.payment_collection,
    payment_session_id: p.payment_session,
    provider_id: p.provider_id,
    currency_code: p.currency_code,
    amount: normalizeAmount(p.amount),
    captured_amount: addAmounts('0', ...succeeded(captures).map((c) => c.amount)),
    refunded_amount: addAmounts('0', ...succeeded(refunds).map((r) => r.amount)),
    data: p.data,
    captured_at: p.captured_at ?? null,
    canceled_at: p.canceled_at ?? null,
    created_at: p.created_at,
    captures: captures.map(toCaptureDTO),
    refunds: refunds.map(toRefundDTO),
  };
}
