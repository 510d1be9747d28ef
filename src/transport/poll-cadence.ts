import type { ConnectionRecord } from '../domain/connection';
import { DEFAULT_POLLING, PollingSettings } from '../domain/polling';

// Which interval the private side's next poll waits: a pure function of the
// connection's settings, the last change seen and the installation's floor
// (./poll-budget.ts), so the sequence can be tested on any clock.

export type PollPhase = 'active' | 'backoff' | 'idle';

/** The connection's own settings, else the installation's defaults (TransportSettings.polling), else DEFAULT_POLLING. */
export function pollingOf(connection: Pick<ConnectionRecord, 'polling'>, installationDefaults?: PollingSettings): PollingSettings {
  return connection.polling ?? installationDefaults ?? DEFAULT_POLLING;
}

export function pollPhase(settings: PollingSettings, lastActivityAt: number | undefined, now: number): PollPhase {
  if (lastActivityAt === undefined) return 'idle';
  const quietMs = Math.max(0, now - lastActivityAt);
  if (quietMs < settings.activeForSeconds * 1000) return 'active';
  if (quietMs < settings.idleAfterSeconds * 1000) return 'backoff';
  return 'idle';
}

/** Seconds until the next poll; never below `floorSeconds`, the share of Forge's event rate one connection may use. */
export function nextPollSeconds(settings: PollingSettings, lastActivityAt: number | undefined, now: number, floorSeconds = 0): number {
  const phase = pollPhase(settings, lastActivityAt, now);
  const wanted = phase === 'active' ? settings.activeSeconds : phase === 'backoff' ? settings.backoffSeconds : settings.idleSeconds;
  return Math.max(wanted, floorSeconds);
}
