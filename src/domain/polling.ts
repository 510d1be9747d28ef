import { z } from 'zod';

// How often the private side of a private connection polls. It cannot be
// called, so the only way to hear the public side's changes sooner is to ask
// more often; asking costs an async event, an invocation and a few storage
// calls each time, so it asks often only while the connection is busy:
// `activeSeconds` apart for `activeForSeconds` after the last change seen on
// either side, then `backoffSeconds` apart, then `idleSeconds` apart once
// nothing has moved for `idleAfterSeconds`.

/** Forge delays an async event by at most 900 s (`delayInSeconds`), so no poll interval can be longer. */
export const MAX_POLL_INTERVAL_SECONDS = 900;

const Seconds = (min: number, max: number) => z.number().int('must be a whole number of seconds').min(min, `must be at least ${min} s`).max(max, `must be at most ${max} s`);

const PollingShape = z.object({
  /** While busy: one poll every this many seconds. */
  activeSeconds: Seconds(1, MAX_POLL_INTERVAL_SECONDS),
  /** How long after the last change polling stays at `activeSeconds`. */
  activeForSeconds: Seconds(0, 24 * 3600),
  /** After that, until idle. */
  backoffSeconds: Seconds(1, MAX_POLL_INTERVAL_SECONDS),
  /** Quiet this long (since the last change) means idle. */
  idleAfterSeconds: Seconds(0, 7 * 24 * 3600),
  /** While idle. */
  idleSeconds: Seconds(1, MAX_POLL_INTERVAL_SECONDS),
});

/** A connection's polling intervals, checked as a whole: each step is no faster than the one before it. */
export const PollingSettings = PollingShape.superRefine((s, ctx) => {
  if (s.backoffSeconds < s.activeSeconds) ctx.addIssue({ code: 'custom', path: ['backoffSeconds'], message: 'must be at least the active interval' });
  if (s.idleSeconds < s.backoffSeconds) ctx.addIssue({ code: 'custom', path: ['idleSeconds'], message: 'must be at least the back-off interval' });
  if (s.idleAfterSeconds < s.activeForSeconds) ctx.addIssue({ code: 'custom', path: ['idleAfterSeconds'], message: 'must be at least how long polling stays active' });
});
export type PollingSettings = z.infer<typeof PollingSettings>;

/** What an admin sends: any of the settings; the others keep their current values. */
export const PollingEdit = PollingShape.partial();
export type PollingEdit = z.infer<typeof PollingEdit>;

/**
 * 2 s while busy (a change travels in about one exchange plus half of that), 20 s for the next minutes
 * (the interval Exalate's private side keeps all the time), 60 s after ten quiet minutes.
 */
export const DEFAULT_POLLING: PollingSettings = {
  activeSeconds: 2,
  activeForSeconds: 120,
  backoffSeconds: 20,
  idleAfterSeconds: 600,
  idleSeconds: 60,
};
