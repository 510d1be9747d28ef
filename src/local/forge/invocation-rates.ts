import { FORGE_LIMITS, type LimitName } from './limits';
import { SlidingWindow } from './sliding-window';

// Forge's rate limits on user-led invocations (resolver calls from the app's
// pages), per installation (https://developer.atlassian.com/platform/forge/limits-invocation/):
// per person and per installation in a fixed one-minute window, as the page
// says, and the secondary 300 per second per installation (sliding). Async
// events, product events, scheduled and web triggers are not user-led and are
// not counted here. A refused call is not invoked and charges nothing.

const L = FORGE_LIMITS.invocations;

/** The bridge's `invoke` was refused: the installation or the person is over Forge's invocation rate. */
export class InvocationRateLimitError extends Error {
  readonly status = 429;
  constructor(
    readonly limit: LimitName,
    readonly retryAfterMs: number,
  ) {
    super(`Too many invocations (${limit}); try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
    this.name = 'InvocationRateLimitError';
  }
}

/** A counter that empties at each whole minute of the clock (Forge's "fixed one-minute window"). */
class FixedMinute {
  private minute = -1;
  private count = 0;

  constructor(readonly limit: number) {}

  fits(now: number): boolean {
    this.roll(now);
    return this.count < this.limit;
  }

  add(now: number): void {
    this.roll(now);
    this.count++;
  }

  waitMs(now: number): number {
    return 60_000 - (now % 60_000);
  }

  private roll(now: number): void {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.count = 0;
    }
  }
}

export class InvocationRates {
  private readonly perUser = new Map<string, FixedMinute>();
  private readonly perInstallation = new Map<string, { minute: FixedMinute; second: SlidingWindow }>();

  /** Admit one user-led invocation, or throw InvocationRateLimitError naming the limit it is over. */
  admit(installation: string, accountId: string, now: number): void {
    const inst = this.installation(installation);
    const userKey = `${installation}\u0000${accountId}`;
    let user = this.perUser.get(userKey);
    if (!user) this.perUser.set(userKey, (user = new FixedMinute(L.userLedPerUserPerMinute)));
    if (!user.fits(now)) throw new InvocationRateLimitError('invocations.userLedPerUserPerMinute', user.waitMs(now));
    if (!inst.minute.fits(now)) throw new InvocationRateLimitError('invocations.userLedPerInstallationPerMinute', inst.minute.waitMs(now));
    if (!inst.second.fits(now, 1)) throw new InvocationRateLimitError('invocations.userLedPerInstallationPerSecond', inst.second.waitMs(now, 1));
    user.add(now);
    inst.minute.add(now);
    inst.second.add(now, 1);
  }

  private installation(id: string) {
    let found = this.perInstallation.get(id);
    if (!found) {
      found = { minute: new FixedMinute(L.userLedPerInstallationPerMinute), second: new SlidingWindow(L.userLedPerInstallationPerSecond, 1_000) };
      this.perInstallation.set(id, found);
    }
    return found;
  }
}
