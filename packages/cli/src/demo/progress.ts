/**
 * The "what is happening now" line. On a terminal it is one line rewritten in place (and erased before
 * any other output); piped into a file or CI log it becomes plain lines, which read well there.
 */
export class Progress {
  private shown = false;
  private step = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stdout,
    private readonly total: number,
    private readonly interactive = Boolean(stream.isTTY),
  ) {}

  update(message: string): void {
    this.step += 1;
    const text = `[${Math.min(this.step, this.total)}/${this.total}] ${message}`;
    if (this.interactive) {
      this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns ?? 80) - 1)}`);
      this.shown = true;
    } else {
      this.stream.write(`… ${text}\n`);
    }
  }

  /** Removes the progress line so regular output starts on a clean line. */
  clear(): void {
    if (this.interactive && this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
