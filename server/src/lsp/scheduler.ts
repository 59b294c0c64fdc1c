/**
 * Runs validation once per burst of changes, one run at a time: every change schedules, and the run
 * starts on the next turn of the event loop, after the burst's other messages.
 */
export class Scheduler {
  private scheduled = false;
  private running: Promise<void> | undefined;

  constructor(private readonly run: () => Promise<void>) {}

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = (this.running ?? Promise.resolve()).then(this.run, this.run);
    });
  }

  /** Resolves once nothing is scheduled or running, so answers match the latest text. */
  async settled(): Promise<void> {
    while (this.scheduled || this.running) {
      const current = this.running;
      if (this.scheduled) await new Promise((resolve) => setImmediate(resolve));
      else if (current) {
        await current;
        if (this.running === current) this.running = undefined;
      }
    }
  }
}
