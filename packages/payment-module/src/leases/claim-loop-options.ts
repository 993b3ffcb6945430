import { wholeNumberOption } from '@tender/core';
import type { z } from 'zod';
import { flagOption, millisecondsOption } from '../module/option-fields.js';

/**
 * What the webhook worker and the outbox relay share: each claims a batch of due rows under a lease (renewed
 * by a heartbeat), retries with exponential backoff up to a number of attempts, hears of new rows by
 * LISTEN/NOTIFY and polls as a fallback.
 */
export interface ClaimLoopOptions {
  /** Rows claimed per round trip. */
  batchSize?: number;
  /**
   * How long a claim lasts without renewal. A live process renews its claims every quarter of this (its
   * heartbeat), so one that dies loses them within `leaseMs` and another takes over.
   */
  leaseMs?: number;
  /** Attempts before a row (for the relay: one subscriber's delivery of it) is dead. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Fallback poll for rows due for retry, or missed while not listening. */
  pollIntervalMs?: number;
  /** Listen for new rows written by any process (PostgreSQL LISTEN/NOTIFY); default true. */
  listen?: boolean;
}

/** The checks of ClaimLoopOptions' fields, with `rows` naming what is claimed in the messages ("events"). */
export function claimLoopFields(rows: string) {
  return {
    batchSize: wholeNumberOption(`a whole number of ${rows} claimed per round trip`, 1, ' (0 would claim nothing)'),
    leaseMs: millisecondsOption('how long a claim lasts', 100),
    maxAttempts: wholeNumberOption('a whole number of attempts', 1),
    baseDelayMs: millisecondsOption('the first retry delay'),
    maxDelayMs: millisecondsOption('the longest retry delay'),
    pollIntervalMs: millisecondsOption('the fallback poll', 1),
    listen: flagOption('listen with LISTEN/NOTIFY'),
  } satisfies Record<keyof ClaimLoopOptions, z.ZodType>;
}
