import { z } from 'zod';
import type { Platform } from '../ports';
import type { ConnectionRecord } from '../domain/connection';
import type { ConfigureMessage, MessageOf } from '../domain/messages';
import { AppError } from '../domain/errors';
import { VisualMapping } from '../domain/visual-mapping';
import { assertProjectExists } from '../connections/projects';
import { requireConnection, saveConnection } from '../connections/store';
import { sendMessage } from '../transport/send';
import { receivePartnerNames } from './partner-names';
import { getRules, saveRules } from './rules-store';
import { getMapping, saveMapping, sideOf } from './visual-store';
import { recordKind } from '../domain/stored-record';

// `configure` messages: how one side's Visual publish reaches the other, and
// how an upgrade to Script mode switches both sides.
//
// A Visual mapping is edited for both sides from either side. The receiving
// side applies a published mapping without asking its admin again: its admin
// accepted a Visual connection, and in Exalate that choice means "configure
// both sides from one screen", so consent was given when the connection was
// made. What the receiving side still decides is whether the mapping can work
// here (its own scope project must exist); if not, it refuses and says why,
// and the publisher shows the refusal.

/** What this side last heard from the partner about the mapping. */
export const PartnerMappingState = z.object({
  version: z.number().int(),
  state: z.enum(['sent', 'applied', 'refused']),
  reason: z.string().nullable(),
  at: z.number(),
});
export type PartnerMappingState = z.infer<typeof PartnerMappingState>;

export const partnerStateKey = (connectionId: string) => `visual-partner:${connectionId}`;
const partnerStateRecord = recordKind({ name: 'Visual mapping, partner state', version: 1, schema: PartnerMappingState, key: partnerStateKey });

export async function partnerMappingState(platform: Platform, connectionId: string): Promise<PartnerMappingState | null> {
  return (await partnerStateRecord.get(platform.kvs, connectionId)) ?? null;
}

async function notePartner(platform: Platform, connectionId: string, state: Omit<PartnerMappingState, 'at'>): Promise<void> {
  await platform.kvs.set(partnerStateKey(connectionId), { ...state, at: platform.clock.now() });
}

const sameDocument = (a: VisualMapping, b: VisualMapping) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Publish from this side: `mapping.version` must be the version the admin
 * started from (so two admins do not silently overwrite each other); the
 * saved document gets the next version and goes to the partner.
 */
export async function publishMapping(platform: Platform, connection: ConnectionRecord, proposed: VisualMapping): Promise<VisualMapping> {
  if (connection.mode !== 'visual') throw notVisual(connection);
  const current = await getMapping(platform, connection);
  if (proposed.version !== current.version) {
    throw new AppError('Conflict', `The mapping changed since it was opened (now version ${current.version}, yours was ${proposed.version}): reload it and publish again.`);
  }
  const side = sideOf(connection);
  if (proposed.scope[side].projectKey.toUpperCase() !== connection.localProjectKey.toUpperCase()) await assertProjectExists(platform, proposed.scope[side].projectKey);
  const published: VisualMapping = { ...proposed, version: current.version + 1 };
  await saveMapping(platform, connection.id, published);
  await sendMessage(platform, connection.id, 'configure', { kind: 'mapping', mapping: published } satisfies ConfigureMessage);
  await notePartner(platform, connection.id, { version: published.version, state: 'sent', reason: null });
  return published;
}

export const notVisual = (connection: ConnectionRecord) =>
  new AppError('Conflict', `The connection "${connection.name}" is in ${connection.mode === 'basic' ? 'Basic' : 'Script'} mode: it has no Visual mapping.`);

/** The partner's side of a `configure` message. */
export async function receiveConfigure(platform: Platform, connection: ConnectionRecord, envelope: MessageOf<'configure'>): Promise<unknown> {
  const message = envelope.body;
  switch (message.kind) {
    case 'upgrade':
      if (connection.mode === 'script') return { ok: true, already: true };
      await upgradeInPlace(platform, connection);
      return { ok: true, upgraded: true };
    case 'mapping-applied':
      await notePartner(platform, connection.id, { version: message.version, state: 'applied', reason: null });
      return { ok: true };
    case 'mapping-refused':
      await notePartner(platform, connection.id, { version: message.version, state: 'refused', reason: message.reason });
      return { ok: true };
    case 'mapping':
      return receiveMapping(platform, connection, message.mapping);
    case 'names':
      return receivePartnerNames(platform, connection, message);
  }
}

async function receiveMapping(platform: Platform, connection: ConnectionRecord, incoming: VisualMapping): Promise<unknown> {
  const refuse = async (reason: string) => {
    await sendMessage(platform, connection.id, 'configure', { kind: 'mapping-refused', version: incoming.version, reason } satisfies ConfigureMessage);
    return { refused: reason };
  };
  if (connection.mode !== 'visual') return refuse(`${connection.localName} has this connection in ${connection.mode} mode, not Visual.`);
  const current = await getMapping(platform, connection);
  if (incoming.version < current.version || sameDocument(incoming, current)) return { ignored: 'not newer' };
  if (incoming.version === current.version) {
    // Both admins published from the same version at once: the inviter's document wins on both sides.
    if (connection.inviter) {
      await sendMessage(platform, connection.id, 'configure', { kind: 'mapping', mapping: current } satisfies ConfigureMessage);
      return { ignored: 'concurrent publish; the inviter keeps its document' };
    }
  }
  const side = sideOf(connection);
  const ownProject = incoming.scope[side].projectKey;
  if (ownProject.toUpperCase() !== connection.localProjectKey.toUpperCase()) {
    try {
      await assertProjectExists(platform, ownProject);
    } catch (e) {
      return refuse(e instanceof Error ? e.message : `Project ${ownProject} cannot be used here.`);
    }
  }
  await saveMapping(platform, connection.id, incoming);
  await sendMessage(platform, connection.id, 'configure', { kind: 'mapping-applied', version: incoming.version } satisfies ConfigureMessage);
  return { ok: true, applied: incoming.version };
}

/**
 * Basic or Visual → Script, in place: the rules this side runs now become
 * its published scripts and the mode changes; the connection id, secrets and
 * twins stay. For the admin this is the "new Script connection" Exalate
 * makes on upgrade, with the same rules to start from; keeping the record
 * is what keeps every twin, so nothing is resynced or duplicated.
 */
export async function upgradeInPlace(platform: Platform, connection: ConnectionRecord): Promise<ConnectionRecord> {
  const compiled = await getRules(platform, connection);
  const previous = (await getRules(platform, { ...connection, mode: 'script' })).version;
  const saved = await saveRules(platform, connection.id, { outgoing: compiled.outgoing, incoming: compiled.incoming }, previous);
  const upgraded: ConnectionRecord = { ...connection, mode: 'script', rulesVersion: saved.version };
  await saveConnection(platform, upgraded);
  return upgraded;
}

/** The admin's upgrade: this side now, the partner when its `configure` message arrives. */
export async function upgradeConnection(platform: Platform, connectionId: string): Promise<ConnectionRecord> {
  const connection = await requireConnection(platform, connectionId);
  if (connection.mode === 'script') throw new AppError('Conflict', `The connection "${connection.name}" is already in Script mode.`);
  if (connection.state === 'pending') throw new AppError('Conflict', `The connection "${connection.name}" is not accepted yet: upgrade it once the partner has accepted.`);
  const upgraded = await upgradeInPlace(platform, connection);
  await sendMessage(platform, connection.id, 'configure', { kind: 'upgrade' } satisfies ConfigureMessage);
  return upgraded;
}
