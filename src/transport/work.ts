import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { describeZodError } from '../domain/zod-error';
import { runAnnounce } from './announce';
import { deliverOutbox } from './deliver';
import { runPoll } from './poll';
import { notifyPartner } from './tombstone';
import { settingsOf, TransportWork, type TransportDeps } from './types';

/** The queue consumer's share for transport work (`kind` starting with `transport.`). */
export async function handleTransportWork(platform: Platform, deps: TransportDeps, body: Record<string, unknown>): Promise<void> {
  const parsed = TransportWork.safeParse(body);
  if (!parsed.success) throw new AppError('BadInput', `Unknown transport work: ${describeZodError(parsed.error)}`);
  const work = parsed.data;
  switch (work.kind) {
    case 'transport.deliver':
      return deliverOutbox(platform, deps, work.connectionId);
    case 'transport.poll':
      return runPoll(platform, deps, work);
    case 'transport.cleanup':
      return;
    case 'transport.notify':
      return notifyPartner(platform, work.connectionId, settingsOf(deps));
    case 'transport.announce':
      return runAnnounce(platform, work, settingsOf(deps));
  }
}
