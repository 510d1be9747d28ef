// A sliding-window counter: how much was used in the last `windowMs`, from a
// log of (time, amount). Sliding rather than fixed per calendar minute because
// it is the stricter reading of "N per minute": a fixed window lets up to
// twice N through across its boundary. Time is whatever the caller passes, so
// tests drive it with an injected clock.

export class SlidingWindow {
  private readonly times: number[] = [];
  private readonly amounts: number[] = [];
  private head = 0;
  private total = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** What was used in the window ending at `now`. */
  used(now: number): number {
    this.evict(now);
    return this.total;
  }

  fits(now: number, amount: number): boolean {
    return this.used(now) + amount <= this.limit;
  }

  add(now: number, amount: number): void {
    if (amount <= 0) return;
    this.evict(now);
    this.times.push(now);
    this.amounts.push(amount);
    this.total += amount;
  }

  /** How long until `amount` more would fit (0 when it fits now). */
  waitMs(now: number, amount: number): number {
    let over = this.used(now) + amount - this.limit;
    if (over <= 0) return 0;
    for (let i = this.head; i < this.times.length; i++) {
      over -= this.amounts[i]!;
      if (over <= 0) return this.times[i]! + this.windowMs - now;
    }
    return this.windowMs;
  }

  private evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) {
      this.total -= this.amounts[this.head]!;
      this.head++;
    }
    // Compact now and then, so the log stays as long as the window's entries.
    if (this.head > 1_024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.amounts.splice(0, this.head);
      this.head = 0;
    }
  }
}
