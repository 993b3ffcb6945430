export interface LeaseHeartbeatSetup {
  /** Extends every lease the process holds. */
  renew: () => Promise<unknown>;
  /** Whether it holds any now: an idle process sends nothing. */
  holding: () => boolean;
  /** How long a lease lasts unrenewed. */
  leaseMs: number;
  onError: (error: unknown) => void;
}

/**
 * Renews the leases a live process holds, every quarter of a lease (at least every 50 ms), while it holds
 * any: a process that dies stops renewing, so its claims come back after one short lease instead of a long one.
 */
export class LeaseHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private readonly renew: () => Promise<unknown>;
  private readonly holding: () => boolean;
  private readonly everyMs: number;
  private readonly onError: (error: unknown) => void;

  constructor(setup: LeaseHeartbeatSetup) {
    this.renew = setup.renew;
    this.holding = setup.holding;
    this.everyMs = Math.max(50, Math.floor(setup.leaseMs / 4));
    this.onError = setup.onError;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.beat(), this.everyMs);
    this.timer.unref();
  }

  private beat(): void {
    if (this.beating || !this.holding()) return;
    this.beating = this.renew()
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      )
      .finally(() => {
        this.beating = undefined;
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
  }
}
