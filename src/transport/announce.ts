import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { StateNotice } from '../domain/messages';
import { getConnection } from '../connections/store';
import { markEndedByPartner } from '../connections/partner-ended';
import { backoffSeconds, notePartnerState } from './delivery-state';
import { postEnvelope } from './http';
import { keyringOf } from './keyring';
import { pushWork } from './kick';
import type { TransportSettings, TransportWork } from './types';
import { newEnvelope } from './envelopes';

// When an admin switches a connection off or on, the partner's Connections
// page should say so ("Deactivated by the partner") rather than show
// deliveries failing. The word goes out of band, signed, since a deactivated
// connection sends nothing through its outbox. Each attempt sends the state
// the record has then, so retries never carry an outdated one. Where the
// partner cannot be called (it is a private side), it learns from the answer
// to its next poll; if a notice is lost for good, the partner still learns
// from our signed "deactivated" refusals, or from our taking its messages again.

/** Attempts at telling the partner before leaving it to those signals. */
const MAX_ATTEMPTS = 6;

export async function announceState(platform: Platform, connection: ConnectionRecord): Promise<void> {
  const notice: StateNotice = { active: connection.state === 'active', at: platform.clock.now() };
  if (connection.kind === 'local') {
    // The other half lives here: what it hears from its partner is this half's state.
    await notePartnerState(platform, connection.remote.connectionId, notice);
    return;
  }
  if (connection.delivery === 'held' || !connection.remote.url) return;
  await pushWork(platform, { kind: 'transport.announce', connectionId: connection.id, attempt: 0 });
}

export async function runAnnounce(platform: Platform, work: Extract<TransportWork, { kind: 'transport.announce' }>, settings: TransportSettings): Promise<void> {
  const connection = await getConnection(platform, work.connectionId);
  if (!connection || connection.state === 'pending' || !connection.remote.url) return;
  const keyring = await keyringOf(platform, connection.id);
  if (!keyring) return;
  const now = platform.clock.now();
  const envelope = newEnvelope(platform, { connectionId: connection.remote.connectionId }, 'state', { active: connection.state === 'active', at: now });
  const reply = await postEnvelope(platform, connection.remote.url, envelope, keyring);
  if (reply.kind === 'answered') return;
  if (reply.kind === 'refused' && reply.goneSigned) {
    await markEndedByPartner(platform, connection, { uninstalled: false });
    return;
  }
  if (reply.kind === 'refused' && !reply.retryable) return;
  const attempt = work.attempt + 1;
  if (attempt >= MAX_ATTEMPTS) return;
  const delay = backoffSeconds(platform, attempt, settings, reply.kind === 'refused' ? reply.retryAfterSeconds : undefined);
  await pushWork(platform, { kind: 'transport.announce', connectionId: connection.id, attempt }, delay);
}
