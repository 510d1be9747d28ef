import type { LocalRuntime } from '../src/local/runtime';

// Virtual time for benches under the Forge latency profile. Forge's delays
// (seconds per edit, minutes per bulk) are not slept: `Date` reads a clock
// that runs with real time and jumps ahead whenever everything in the
// process is waiting, either on a delay (a storage call, a Jira call, a web
// trigger) or on queued work that is not due yet. Invocations that wait at
// the same time overlap, as Forge runs them in parallel; the compute between
// waits is real time, so a figure is "compute + Forge's delays".

const RealDate = Date;

interface Waiter {
  at: number;
  seq: number;
  wake: () => void;
}

export class VirtualClock {
  private offset = 0;
  private seq = 0;
  private waiters: Waiter[] = [];
  private restore: (() => void) | undefined;
  /** Set when compute takes no time on this clock: it moves only when everything waits. */
  private readonly frozenAt: number | undefined;

  /**
   * `computeTakesNoTime`: the clock does not run with real time, only jumps. For a figure about Forge's
   * limits rather than this machine: Forge runs invocations in parallel in as many containers as it needs,
   * so one machine's cores must not be what makes work fall behind.
   */
  constructor(options: { computeTakesNoTime?: boolean } = {}) {
    this.frozenAt = options.computeTakesNoTime ? RealDate.now() : undefined;
  }

  now(): number {
    return (this.frozenAt ?? RealDate.now()) + this.offset;
  }

  get computeTakesNoTime(): boolean {
    return this.frozenAt !== undefined;
  }

  /** Make `Date` (and `Date.now`) read this clock in the whole process until `uninstall`. */
  install(): void {
    if (this.restore) return;
    const clock = this;
    class VirtualDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.now());
        else super(...(args as [number]));
      }
      static override now(): number {
        return clock.now();
      }
    }
    globalThis.Date = VirtualDate as DateConstructor;
    this.restore = () => {
      globalThis.Date = RealDate;
    };
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** A delay on this clock: resolves when the clock is moved past it. */
  sleep(ms: number): Promise<void> {
    // Whole milliseconds, as Date.now() reads on a real clock.
    return new Promise((resolve) => this.waiters.push({ at: this.now() + Math.ceil(ms), seq: this.seq++, wake: resolve }));
  }

  earliestWaiter(): number | undefined {
    let earliest: number | undefined;
    for (const w of this.waiters) if (earliest === undefined || w.at < earliest) earliest = w.at;
    return earliest;
  }

  /** Move the clock to `at` (never back) and wake every delay that has ended by then. */
  advanceTo(at: number): void {
    const before = this.now();
    if (at > before) this.offset += Math.ceil(at - before);
    // Read once: the clock runs on with real time, and a delay ending between two reads would be neither
    // woken nor kept.
    const now = this.now();
    const due = this.waiters.filter((w) => w.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.waiters = this.waiters.filter((w) => w.at > now);
    for (const w of due) w.wake();
  }
}

/** Let every promise chain in the process run until it waits on something. */
export async function idle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Runs the runtime's queue on the virtual clock with up to `concurrency`
 * invocations at once (a pool: a new one starts as soon as one ends), and
 * moves the clock when nothing can run: to the end of the earliest delay or
 * to the next queued event, whichever comes first. `stop()` ends it.
 */
export function driveVirtually(rt: LocalRuntime, clock: VirtualClock, options: { concurrency?: number } = {}) {
  const concurrency = options.concurrency ?? 1;
  let stopped = false;
  let workers = 0;
  /** The last probe of the queue found nothing due that nobody had taken. */
  let nothingDue = false;
  const startWorker = () => {
    workers++;
    void rt.forge
      .runDue(1, 1)
      .then((ran) => {
        if (ran === 0) nothingDue = true;
      })
      .catch(() => undefined)
      .finally(() => workers--);
  };
  const loop = async () => {
    while (!stopped) {
      nothingDue = false;
      if (workers < concurrency) startWorker();
      await idle();
      if (stopped) return;
      if (!nothingDue && workers < concurrency) continue; // more may be due: fill the pool first
      // Compute takes no time on a frozen clock: it moves only once every invocation has ended.
      if (clock.computeTakesNoTime && workers > 0) continue;
      // An invocation still at work between two waits (a body being read, a hash computed off the main
      // thread) is not waiting on the clock: moving it now would carry that invocation past its deadline.
      if (!rt.forge.everyInvocationWaits()) continue;
      // Everything runnable has run up to a wait: move the clock to the next thing that can happen.
      const waiter = clock.earliestWaiter();
      // The earliest queued event; one in flight (due already) hides later ones until it ends.
      const queued = rt.forge.queue.nextDueAt();
      const next = Math.min(waiter ?? Infinity, queued !== undefined && queued > clock.now() ? queued : Infinity);
      if (next !== Infinity) clock.advanceTo(next);
      else if (workers === 0 && rt.forge.queue.pendingCount() === 0) await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
  };
  const running = loop();
  return {
    /** Resolves once no invocation runs, no delay is pending and the queue is empty. */
    async settled(): Promise<void> {
      for (;;) {
        await idle();
        if (workers === 0 && clock.earliestWaiter() === undefined && rt.forge.queue.pendingCount() === 0) {
          await idle();
          if (workers === 0 && clock.earliestWaiter() === undefined && rt.forge.queue.pendingCount() === 0) return;
        }
        await new Promise<void>((resolve) => setTimeout(resolve, 1));
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      await running;
    },
  };
}
