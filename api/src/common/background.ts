/**
 * Work the server starts that outlives its request (evaluation runs). On shutdown it is told to
 * stop (its signal aborts; runs stop between batches and record that they were interrupted) and
 * awaited, within a limit, before the database pool closes under it.
 */
export class BackgroundWork {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  /** Starts `work` now; its failures are its own to record (it is never awaited by a request). */
  start(work: (signal: AbortSignal) => Promise<unknown>): void {
    const task: Promise<unknown> = work(this.controller.signal)
      .catch(() => undefined)
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Asks everything to stop and waits for it; false when something was still running after `timeoutMs`. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = Promise.allSettled([...this.running]).then(() => true);
    try {
      return await Promise.race([finished, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
