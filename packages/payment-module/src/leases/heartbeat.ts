/**
 * Renews the leases a live process holds, every `everyMs`, while `holding()` says it holds any: a process
 * that dies stops renewing, so its claims come back after one short lease instead of a long one.
 */
export class LeaseHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly renew: () => Promise<unknown>,
    private readonly holding: () => boolean,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

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
